package io.hooksync.ingress;

/** Checks that a request was signed by its sender; pure and thread-safe. */
sealed interface SignatureVerifier
        permits GitHubVerifier, StripeVerifier, StandardWebhooksVerifier, HmacVerifier, NoVerification {

    void verify(UnverifiedRequest request) throws SignatureException;
}
