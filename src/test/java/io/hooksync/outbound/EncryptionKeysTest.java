package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

import io.hooksync.infra.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** Where the at-rest key comes from: references only, a generated file in embedded mode, none in production. */
class EncryptionKeysTest {

    private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_B = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @TempDir
    Path data;

    private final MockEnvironment env = new MockEnvironment().withProperty("KEY_A", KEY_A).withProperty("KEY_B", KEY_B);

    @Test
    void referencedKeysEncryptWithTheFirstAndDecryptWithAll() throws Exception {
        Path file = data.resolve("key-b");
        Files.writeString(file, KEY_B + "\n");
        SecretCipher cipher = EncryptionKeys.load(List.of("env:KEY_A", "file:" + file), true, data, env);
        assertThat(cipher.keyIds()).containsExactly(SecretCipher.keyId(Base64.getDecoder().decode(KEY_A)),
                SecretCipher.keyId(Base64.getDecoder().decode(KEY_B)));
        assertThat(data.resolve("secrets")).doesNotExist();
    }

    @Test
    void aLiteralKeyOrOneOfTheWrongSizeIsRefusedNamingTheEntryNotTheValue() {
        assertThatThrownBy(() -> EncryptionKeys.load(List.of("env:KEY_A", KEY_B), false, data, env))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("hooksync.outbound.encryption-keys[1]: must be env:NAME or file:/path")
                .hasMessageNotContaining(KEY_B);
        env.setProperty("SHORT", Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> EncryptionKeys.load(List.of("env:SHORT"), false, data, env))
                .hasMessageContaining("[0]: the key must be base64 of 32 bytes, this one has 16");
        assertThatThrownBy(() -> EncryptionKeys.load(List.of("env:MISSING"), false, data, env))
                .hasMessageContaining("[0]: environment variable MISSING is not set");
    }

    @Test
    void productionModeWithoutAKeyDoesNotStartAndNamesTheSetting() {
        assertThatThrownBy(() -> EncryptionKeys.load(List.of(), true, data, env))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("hooksync.outbound.encryption-keys (HOOKSYNC_ENCRYPTION_KEYS) is empty")
                .hasMessageContaining("production mode");
        assertThat(data.resolve("secrets")).doesNotExist();
    }

    @Test
    void embeddedModeGeneratesAnOwnerOnlyKeyOnceAndKeepsUsingIt() throws Exception {
        SecretCipher first = EncryptionKeys.load(List.of(), false, data, env);
        Path file = data.resolve("secrets/encryption.key");
        assertThat(file).exists();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(key).hasSize(32);
        assertThat(first.keyIds()).containsExactly(SecretCipher.keyId(key));
        String stored = first.encrypt("whsec_x", "ep_1");

        SecretCipher second = EncryptionKeys.load(List.of(), false, data, env);
        assertThat(second.decrypt(stored, "ep_1")).isEqualTo("whsec_x");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);   // no temporary file left behind
        }
    }

    @Test
    void aDamagedGeneratedKeyStopsStartupNamingTheFile() throws Exception {
        Path file = Files.createDirectories(data.resolve("secrets")).resolve("encryption.key");
        Files.writeString(file, "not a key");
        assertThatThrownBy(() -> EncryptionKeys.load(List.of(), false, data, env))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not base64");
    }
}
