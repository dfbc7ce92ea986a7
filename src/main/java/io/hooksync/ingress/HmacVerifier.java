package io.hooksync.ingress;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Any sender that signs the raw body with an HMAC: header name, algorithm, hex or base64, optional prefix. */
final class HmacVerifier implements SignatureVerifier {

    /** How the header carries the signature bytes. */
    enum Encoding { HEX, BASE64 }

    private final Hmac hmac;
    private final String header;
    private final Encoding encoding;
    private final String prefix;

    HmacVerifier(List<String> secrets, String header, String algorithm, Encoding encoding, String prefix) {
        this.hmac = new Hmac(algorithm, secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
        this.header = header;
        this.encoding = encoding;
        this.prefix = prefix == null ? "" : prefix;
    }

    @Override
    public void verify(UnverifiedRequest request) throws SignatureException {
        String value = request.header(header).map(String::trim)
                .orElseThrow(() -> new SignatureException(SignatureException.Reason.MISSING, header + " header is missing"));
        if (!value.startsWith(prefix)) {
            throw new SignatureException(SignatureException.Reason.MALFORMED, header + " must start with " + prefix);
        }
        byte[] given;
        try {
            String encoded = value.substring(prefix.length());
            given = encoding == Encoding.HEX ? HexFormat.of().parseHex(encoded) : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new SignatureException(SignatureException.Reason.MALFORMED,
                    header + " is not " + encoding.name().toLowerCase(Locale.ROOT));
        }
        if (given.length == 0) {
            throw new SignatureException(SignatureException.Reason.MALFORMED, header + " has an empty signature");
        }
        if (!Hmac.matchesAny(hmac.sign(request.body()), given)) {
            throw new SignatureException(SignatureException.Reason.MISMATCH, header + " does not match the body");
        }
    }
}
