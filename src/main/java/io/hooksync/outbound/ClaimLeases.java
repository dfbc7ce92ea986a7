package io.hooksync.outbound;

/**
 * The lease ends of one instance's claims. A lease end is also the claim's token: a result is written only while its
 * delivery still holds that value ({@code DeliveryStore}'s guard), so two claims of one delivery must never share one.
 * {@code now + length} alone would give the same value to a delivery resent and claimed again in the millisecond of
 * its earlier claim, and the earlier attempt's result would then overwrite the new claim; each end here is later than
 * the one before. Used by the delivery scheduler thread only (not thread-safe).
 */
final class ClaimLeases {

    private final long lengthMs;
    private long last = Long.MIN_VALUE;

    ClaimLeases(long lengthMs) {
        if (lengthMs <= 0) {
            throw new IllegalArgumentException("a lease must last at least 1 ms (was " + lengthMs + ")");
        }
        this.lengthMs = lengthMs;
    }

    /** The end of a lease taken at {@code now}: {@code now + length}, or 1 ms after the previous end if that is later. */
    long next(long now) {
        last = Math.max(now + lengthMs, last + 1);
        return last;
    }
}
