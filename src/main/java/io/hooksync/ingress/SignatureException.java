package io.hooksync.ingress;

/** A signature that does not verify; the message is safe to show the sender (no secrets, no expected values). */
final class SignatureException extends Exception {

    /** Why verification failed. */
    enum Reason { MISSING, MALFORMED, MISMATCH, OUTSIDE_TOLERANCE }

    private final Reason reason;

    SignatureException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }
}
