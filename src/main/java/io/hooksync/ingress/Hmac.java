package io.hooksync.ingress;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC with precomputed keys and constant-time comparison, shared by every verifier. */
final class Hmac {

    private final String algorithm;
    private final List<SecretKeySpec> keys;

    Hmac(String algorithm, List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is required");
        }
        try {
            Mac.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("HMAC algorithm '" + algorithm + "' is not available in this JDK");
        }
        if (keys.stream().anyMatch(k -> k.length == 0)) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        this.algorithm = algorithm;
        this.keys = keys.stream().map(k -> new SecretKeySpec(k, algorithm)).toList();
    }

    static Hmac sha256Utf8(List<String> secrets) {
        return new Hmac("HmacSHA256", secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** One signature per key over the concatenation of {@code parts}. */
    List<byte[]> sign(byte[]... parts) {
        List<byte[]> signatures = new ArrayList<>(keys.size());
        for (SecretKeySpec key : keys) {
            Mac mac = mac(key);
            for (byte[] part : parts) {
                mac.update(part);
            }
            signatures.add(mac.doFinal());
        }
        return signatures;
    }

    /** True when {@code candidate} equals any of the {@code expected} signatures; every comparison is constant-time. */
    static boolean matchesAny(List<byte[]> expected, byte[] candidate) {
        boolean match = false;
        for (byte[] e : expected) {
            match |= MessageDigest.isEqual(e, candidate);
        }
        return match;
    }

    private Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
