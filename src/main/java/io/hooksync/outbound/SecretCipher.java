package io.hooksync.outbound;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets kept in the database with AES-256-GCM: {@code enc:v1:<key id>:<base64(nonce|ciphertext|tag)>},
 * a random 96-bit nonce per value. The key id is the first 4 bytes of the key's SHA-256 in hex, so
 * several keys can be configured: the first encrypts, every one decrypts (rotation). A context (the
 * endpoint id) is bound as associated data: a value copied into another endpoint's row does not decrypt.
 */
final class SecretCipher {

    static final int KEY_BYTES = 32;
    private static final String PREFIX = "enc:v1:";
    private static final Pattern FORMAT = Pattern.compile("enc:v1:([0-9a-f]{8}):([A-Za-z0-9+/]+=*)");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored value that cannot be decrypted; the message says why, never a secret. */
    static final class UnreadableSecretException extends RuntimeException {
        UnreadableSecretException(String message) {
            super(message);
        }
    }

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String currentId;

    /** {@code keys}: 32 bytes each, the first one encrypts. */
    SecretCipher(List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one key is needed");
        }
        for (byte[] key : keys) {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("a key must hold " + KEY_BYTES + " bytes, this one has " + key.length);
            }
            if (this.keys.putIfAbsent(keyId(key), new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalArgumentException("key " + keyId(key) + " is listed twice");
            }
        }
        this.currentId = keyId(keys.get(0));
    }

    /** The short public name of a key: the first 4 bytes of its SHA-256, in hex. */
    static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Whether a stored value has this class's format (otherwise it is plaintext from before encryption). */
    static boolean isEncrypted(String stored) {
        return stored != null && FORMAT.matcher(stored).matches();
    }

    /** The ids of the configured keys, the encrypting one first. */
    List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    /** Whether {@code stored} is encrypted with the key that encrypts now (no re-encryption needed). */
    boolean isCurrent(String stored) {
        return isEncrypted(stored) && stored.startsWith(PREFIX + currentId + ":");
    }

    String encrypt(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.get(currentId), nonce, context);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** The plaintext of an {@link #isEncrypted encrypted} value; {@link UnreadableSecretException} if it cannot be. */
    String decrypt(String stored, String context) {
        Matcher m = stored == null ? null : FORMAT.matcher(stored);
        if (m == null || !m.matches()) {
            throw new UnreadableSecretException("the value is not in the enc:v1:<key id>:<data> format");
        }
        SecretKeySpec key = keys.get(m.group(1));
        if (key == null) {
            throw new UnreadableSecretException("it was encrypted with key " + m.group(1)
                    + ", which is not configured (configured: " + String.join(", ", keys.keySet()) + ")");
        }
        byte[] data = Base64.getDecoder().decode(m.group(2));
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UnreadableSecretException("the encrypted value is truncated");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(data, NONCE_BYTES), context);
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnreadableSecretException("it fails its integrity check with key " + m.group(1)
                    + ": it was altered, or copied from another endpoint");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce, String context)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
