package io.hooksync.ingress;

import java.util.HexFormat;
import java.util.List;

/** GitHub: {@code X-Hub-Signature-256: sha256=<hex>}, HMAC-SHA256 of the raw body keyed by the secret's UTF-8 bytes. */
final class GitHubVerifier implements SignatureVerifier {

    static final String HEADER = "X-Hub-Signature-256";
    private final Hmac hmac;

    GitHubVerifier(List<String> secrets) {
        this.hmac = Hmac.sha256Utf8(secrets);
    }

    @Override
    public void verify(UnverifiedRequest request) throws SignatureException {
        String header = request.header(HEADER).map(String::trim)
                .orElseThrow(() -> new SignatureException(SignatureException.Reason.MISSING, HEADER + " header is missing"));
        if (!header.startsWith("sha256=")) {
            throw new SignatureException(SignatureException.Reason.MALFORMED, HEADER + " must start with sha256=");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring(7));
        } catch (IllegalArgumentException e) {
            throw new SignatureException(SignatureException.Reason.MALFORMED, HEADER + " is not hexadecimal");
        }
        if (given.length == 0) {
            throw new SignatureException(SignatureException.Reason.MALFORMED, HEADER + " has an empty signature");
        }
        if (!Hmac.matchesAny(hmac.sign(request.body()), given)) {
            throw new SignatureException(SignatureException.Reason.MISMATCH, HEADER + " does not match the body");
        }
    }
}
