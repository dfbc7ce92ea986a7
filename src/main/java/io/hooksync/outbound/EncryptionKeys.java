package io.hooksync.outbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.hooksync.infra.BoundedFiles;
import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.SecretReferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * The keys that encrypt endpoint secrets at rest ({@code hooksync.outbound.encryption-keys}): secret
 * references ({@code env:NAME}, {@code file:/path}) to base64 of 32 random bytes, the first one encrypting.
 * With none configured, production mode refuses to start; embedded mode generates a key once under
 * {@code <data-dir>/secrets/encryption.key} (owner-only) and keeps using it.
 */
final class EncryptionKeys {

    static final String SETTING = "hooksync.outbound.encryption-keys";
    private static final Logger log = LoggerFactory.getLogger(EncryptionKeys.class);

    private EncryptionKeys() {
    }

    static SecretCipher load(List<String> references, boolean production, Path dataDir, Environment environment) {
        if (references.isEmpty()) {
            if (production) {
                throw new InvalidConfigurationException(List.of(SETTING + " (HOOKSYNC_ENCRYPTION_KEYS) is empty:"
                        + " production mode needs a key to encrypt endpoint secrets in the database; set it to"
                        + " env:NAME or file:/path naming base64 of 32 random bytes (openssl rand -base64 32)"));
            }
            return new SecretCipher(List.of(generated(dataDir.resolve("secrets").resolve("encryption.key"))));
        }
        List<byte[]> keys = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            String where = SETTING + "[" + i + "]";
            try {
                if (!SecretReferences.isReference(references.get(i))) {
                    throw new IllegalArgumentException("must be env:NAME or file:/path; keys are never written into"
                            + " configuration files");
                }
                keys.add(decode(SecretReferences.resolve(references.get(i), environment)));
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            try {
                SecretCipher cipher = new SecretCipher(keys);
                log.info("Endpoint secrets are encrypted at rest with key {} (keys that decrypt: {})", cipher.keyIds().get(0),
                        cipher.keyIds());
                return cipher;
            } catch (IllegalArgumentException e) {
                problems.add(SETTING + ": " + e.getMessage());
            }
        }
        throw new InvalidConfigurationException(problems);
    }

    private static byte[] decode(String value) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not base64 (generate one with openssl rand -base64 32)");
        }
        if (key.length != SecretCipher.KEY_BYTES) {
            throw new IllegalArgumentException("the key must be base64 of " + SecretCipher.KEY_BYTES + " bytes, this one has "
                    + key.length + " (generate one with openssl rand -base64 32)");
        }
        return key;
    }

    /** The key in {@code file}, written there first (owner read/write only) if there is none yet. */
    private static byte[] generated(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[SecretCipher.KEY_BYTES];
                new SecureRandom().nextBytes(key);
                write(file, Base64.getEncoder().encodeToString(key));
                log.warn("Generated the key that encrypts endpoint secrets in the database: {} (embedded mode; keep it"
                        + " with the data directory: without it the stored secrets cannot be read)", file);
            }
            byte[] key = decode(BoundedFiles.readString(file, BoundedFiles.SECRET_MAX_BYTES));
            log.info("Endpoint secrets are encrypted at rest with the key in {} (key {})", file, SecretCipher.keyId(key));
            return key;
        } catch (IOException e) {
            throw new InvalidConfigurationException(List.of(SETTING + " is empty and the generated key " + file
                    + " cannot be written or read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of("the generated key " + file + ": " + e.getMessage()));
        }
    }

    /** Writes a temporary owner-only file beside {@code file} and renames it, so a crash leaves no half key. */
    private static void write(Path file, String content) throws IOException {
        Path dir = file.getParent();
        Path temp;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            temp = Files.createTempFile(dir, "encryption", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "encryption", ".tmp");
        }
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
