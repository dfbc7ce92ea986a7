package io.hooksync.backfill;

import java.time.Instant;

/**
 * A replay as the API shows it: what it does, where it stands, what it did so far. Its times are instants, ISO-8601
 * text in JSON like every time of the API ({@code "createdAt": "2026-12-01T12:00:00.118Z"}).
 */
record ReplayStatus(String id, String routeId, String mode, String start, boolean emit, String mapping, String state,
                    boolean cancelRequested, long eventsTotal, long eventsRead, double progress,
                    Double eventsPerSecond, long rowsWritten, long rowsUnchanged, long rowsDeleted,
                    long mappingErrors, String error, Instant createdAt, Instant startedAt, Instant finishedAt) {

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
                r.rowsUnchanged(), r.rowsDeleted(), r.mappingErrors(), r.error(), Instant.ofEpochMilli(r.createdAt()),
                instant(r.startedAt()), instant(r.finishedAt()));
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
