package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/** AES-256-GCM at rest: round trip, integrity, key rotation, and telling plaintext from ciphertext. */
class SecretCipherTest {

    private static final byte[] KEY_A = key(1);
    private static final byte[] KEY_B = key(2);

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void aValueSurvivesTheRoundTripAndIsNeitherPlaintextNorTheSameTwice() {
        SecretCipher cipher = new SecretCipher(List.of(KEY_A));
        String secret = Signatures.newSecret();
        String first = cipher.encrypt(secret, "ep_1");
        String second = cipher.encrypt(secret, "ep_1");
        assertThat(first).startsWith("enc:v1:" + SecretCipher.keyId(KEY_A) + ":").doesNotContain(secret.substring(6, 20));
        assertThat(second).isNotEqualTo(first);   // a fresh nonce each time
        assertThat(cipher.decrypt(first, "ep_1")).isEqualTo(secret);
        assertThat(cipher.decrypt(second, "ep_1")).isEqualTo(secret);
        assertThat(cipher.decrypt(cipher.encrypt("", "ep_1"), "ep_1")).isEmpty();
        assertThat(cipher.decrypt(cipher.encrypt("Bearer ünïcode", "ep_1"), "ep_1")).isEqualTo("Bearer ünïcode");
    }

    @Test
    void aFlippedBitFailsTheIntegrityCheck() {
        SecretCipher cipher = new SecretCipher(List.of(KEY_A));
        String stored = cipher.encrypt("whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", "ep_1");
        String prefix = stored.substring(0, stored.lastIndexOf(':') + 1);
        byte[] data = Base64.getDecoder().decode(stored.substring(prefix.length()));
        for (int i : new int[] {0, 12, data.length - 1}) {   // nonce, ciphertext, tag
            byte[] flipped = data.clone();
            flipped[i] ^= 0x01;
            assertThatThrownBy(() -> cipher.decrypt(prefix + Base64.getEncoder().encodeToString(flipped), "ep_1"))
                    .isInstanceOf(SecretCipher.UnreadableSecretException.class)
                    .hasMessageContaining("integrity check").hasMessageContaining("altered");
        }
    }

    @Test
    void aValueCopiedToAnotherEndpointDoesNotDecrypt() {
        SecretCipher cipher = new SecretCipher(List.of(KEY_A));
        String stored = cipher.encrypt("whsec_x", "ep_1");
        assertThatThrownBy(() -> cipher.decrypt(stored, "ep_2"))
                .isInstanceOf(SecretCipher.UnreadableSecretException.class).hasMessageContaining("another endpoint");
    }

    @Test
    void aValueEncryptedWithAnUnknownKeyNamesTheKeyNotTheSecret() {
        String stored = new SecretCipher(List.of(KEY_A)).encrypt("whsec_x", "ep_1");
        SecretCipher other = new SecretCipher(List.of(KEY_B));
        assertThatThrownBy(() -> other.decrypt(stored, "ep_1"))
                .isInstanceOf(SecretCipher.UnreadableSecretException.class)
                .hasMessageContaining("key " + SecretCipher.keyId(KEY_A) + ", which is not configured")
                .hasMessageContaining("configured: " + SecretCipher.keyId(KEY_B))
                .hasMessageNotContaining("whsec_x");
    }

    @Test
    void aKeyWithTheSameIdButOtherBytesFailsTheIntegrityCheck() {
        String stored = new SecretCipher(List.of(KEY_A)).encrypt("whsec_x", "ep_1");
        String forged = stored.replace(SecretCipher.keyId(KEY_A), SecretCipher.keyId(KEY_B));
        assertThatThrownBy(() -> new SecretCipher(List.of(KEY_B)).decrypt(forged, "ep_1"))
                .isInstanceOf(SecretCipher.UnreadableSecretException.class).hasMessageContaining("integrity check");
    }

    @Test
    void rotationDecryptsWithEveryKeyAndEncryptsWithTheFirst() {
        String old = new SecretCipher(List.of(KEY_A)).encrypt("whsec_old", "ep_1");
        SecretCipher rotated = new SecretCipher(List.of(KEY_B, KEY_A));
        assertThat(rotated.decrypt(old, "ep_1")).isEqualTo("whsec_old");
        assertThat(rotated.isCurrent(old)).isFalse();
        String fresh = rotated.encrypt("whsec_old", "ep_1");
        assertThat(fresh).startsWith("enc:v1:" + SecretCipher.keyId(KEY_B) + ":");
        assertThat(rotated.isCurrent(fresh)).isTrue();
        assertThat(rotated.keyIds()).containsExactly(SecretCipher.keyId(KEY_B), SecretCipher.keyId(KEY_A));
    }

    @Test
    void plaintextIsToldFromCiphertext() {
        SecretCipher cipher = new SecretCipher(List.of(KEY_A));
        assertThat(SecretCipher.isEncrypted(cipher.encrypt("whsec_x", "ep_1"))).isTrue();
        assertThat(SecretCipher.isEncrypted(Signatures.newSecret())).isFalse();
        assertThat(SecretCipher.isEncrypted("enc:v1:not-hex!:AAAA")).isFalse();
        assertThat(SecretCipher.isEncrypted("enc:v2:00000000:AAAA")).isFalse();
        assertThat(SecretCipher.isEncrypted(null)).isFalse();
        assertThat(cipher.isCurrent(Signatures.newSecret())).isFalse();
        assertThatThrownBy(() -> cipher.decrypt("whsec_plain", "ep_1"))
                .isInstanceOf(SecretCipher.UnreadableSecretException.class).hasMessageContaining("format");
    }

    @Test
    void theLongestSigningSecretStillFitsItsVarchar200Column() {
        byte[] longest = new byte[64];   // Signatures accepts 24..64 key bytes
        String secret = Signatures.PREFIX + Base64.getEncoder().encodeToString(longest);
        String stored = new SecretCipher(List.of(KEY_A)).encrypt(secret, "ep_1");
        assertThat(stored.length()).isLessThanOrEqualTo(200);
    }

    @Test
    void keysMustBe256BitsAndDistinct() {
        assertThatThrownBy(() -> new SecretCipher(List.of(new byte[16])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new SecretCipher(List.of(KEY_A, KEY_A.clone())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> new SecretCipher(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
