package io.hooksync.ingress;

/** Accepts every request: only for sources explicitly marked {@code unverified} for local testing. */
final class NoVerification implements SignatureVerifier {

    @Override
    public void verify(UnverifiedRequest request) {
        // deliberately open; SourceRegistry logs a loud warning when a source uses this
    }
}
