package io.hooksync.sink;

/**
 * How {@code hooksync:events} hands events to its route: {@code mode=batch} (the default: one exchange per poll, body
 * {@code List<InboundEvent>}, one transaction per batch) or {@code mode=event} (one exchange per event, body the
 * payload as JSON, see {@link EventMessages}); {@code raw=true} keeps a per-event body as the payload's bytes.
 */
record EventForm(boolean perEvent, boolean raw) {

    static final EventForm BATCH = new EventForm(false, false);

    /** Events per poll in the per-event form unless {@code batchSize} says otherwise: each is its own exchange. */
    static final int PER_EVENT_POLL = 100;

    static EventForm parse(String uri, String mode, String raw) {
        boolean perEvent = switch (mode == null ? "batch" : mode.trim()) {
            case "batch" -> false;
            case "event" -> true;
            default -> throw new IllegalArgumentException(uri + ": mode must be batch or event (was '" + mode + "')");
        };
        boolean bytes = switch (raw == null ? "false" : raw.trim()) {
            case "false" -> false;
            case "true" -> true;
            default -> throw new IllegalArgumentException(uri + ": raw must be true or false (was '" + raw + "')");
        };
        if (bytes && !perEvent) {
            throw new IllegalArgumentException(uri + ": raw=true needs mode=event (a batch's body is a list of events)");
        }
        return new EventForm(perEvent, bytes);
    }
}
