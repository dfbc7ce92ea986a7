package io.hooksync.backfill;

/** One replay as stored in {@code hooksync_replays} (without its result). */
record Replay(String id, String routeId, String mode, String start, boolean emit, String mapping, String targetTable,
              String state, boolean cancelRequested, String owner, long eventsTotal, long eventsRead, long rowsWritten,
              long rowsUnchanged, long rowsDeleted, long mappingErrors, String error, long createdAt, Long startedAt,
              Long finishedAt) {

    static final String PREVIEW = "preview";
    static final String APPLY = "apply";

    boolean preview() {
        return PREVIEW.equals(mode);
    }

    boolean active() {
        return "queued".equals(state) || "running".equals(state);
    }
}
