package io.hooksync.backfill;

/** A replay as the API shows it: what it does, where it stands, what it did so far. */
record ReplayStatus(String id, String routeId, String mode, String start, boolean emit, String mapping, String state,
                    boolean cancelRequested, long eventsTotal, long eventsRead, double progress,
                    Double eventsPerSecond, long rowsWritten, long rowsUnchanged, long rowsDeleted,
                    long mappingErrors, String error, long createdAt, Long startedAt, Long finishedAt) {

    static ReplayStatus of(Replay r, long now) {
        double progress = r.eventsTotal() == 0 ? (r.active() ? 0 : 1)
                : Math.min(1.0, (double) r.eventsRead() / r.eventsTotal());
        Double rate = null;
        if (r.startedAt() != null) {
            long until = r.finishedAt() != null ? r.finishedAt() : now;
            rate = until > r.startedAt() ? r.eventsRead() * 1000.0 / (until - r.startedAt()) : null;
        }
        return new ReplayStatus(r.id(), r.routeId(), r.mode(), r.start(), r.emit(), r.mapping(), r.state(),
                r.cancelRequested(), r.eventsTotal(), r.eventsRead(), progress, rate, r.rowsWritten(),
                r.rowsUnchanged(), r.rowsDeleted(), r.mappingErrors(), r.error(), r.createdAt(), r.startedAt(),
                r.finishedAt());
    }
}
