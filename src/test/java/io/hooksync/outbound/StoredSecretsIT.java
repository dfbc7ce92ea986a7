package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.support.ExternalDatabases;
import io.hooksync.support.UsesPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Endpoint secrets at rest on the local PostgreSQL (a subclass: MariaDB), read back with plain JDBC:
 * no column holds a secret or header value in plaintext, plaintext rows from before are encrypted once,
 * rotation re-encrypts under the first key, and a key that cannot read a row stops the migration naming
 * the endpoint without changing anything.
 */
@UsesPostgres
class StoredSecretsIT {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static final SecretCipher KEY_A = cipher(1);
    private static final SecretCipher KEY_B = cipher(2);
    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    private static final String PREVIOUS = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
    private static final String HEADER_VALUE = "Bearer receiver-api-key-0123456789";

    private JdbcTemplate jdbc;
    private TransactionTemplate transactions;

    private static SecretCipher cipher(int fill) {
        return new SecretCipher(List.of(key(fill)));
    }

    DriverManagerDataSource freshDatabase() {
        return new DriverManagerDataSource(ExternalDatabases.freshPostgres("hooksync_stored_secrets_it"), "postgres", "");
    }

    String vendor() {
        return "postgresql";
    }

    @BeforeEach
    void database() {
        DriverManagerDataSource ds = ExternalDatabases.migrated(freshDatabase(), vendor());
        jdbc = new JdbcTemplate(ds);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(ds));
    }

    private static Endpoint endpoint(String id) {
        return new Endpoint(id, "https://example.com/" + id, null, List.of("*"), null, Map.of("Authorization", HEADER_VALUE),
                SECRET, PREVIOUS, Long.MAX_VALUE, true, false, null, null, Endpoint.API, null, 0, 0);
    }

    /** A row as a version before encryption wrote it. */
    private void plaintextRow(String id) {
        jdbc.update("INSERT INTO hooksync_endpoints (id, url, event_types, headers, secret, previous_secret,"
                + " previous_secret_until, enabled, ordered, managed_by, created_at, updated_at)"
                + " VALUES (?, 'https://example.com/old', '[\"*\"]', ?, ?, ?, ?, true, false, 'api', 0, 0)",
                id, "{\"Authorization\":\"" + HEADER_VALUE + "\"}", SECRET, PREVIOUS, Long.MAX_VALUE);
    }

    private Map<String, Object> raw(String id) {
        return jdbc.queryForMap("SELECT secret, previous_secret, headers FROM hooksync_endpoints WHERE id = ?", id);
    }

    private int migrate(SecretCipher cipher) {
        return new StoredSecretsMigration(jdbc, transactions, cipher, JSON).run();
    }

    private static void holdsNoPlaintext(Map<String, Object> row, SecretCipher cipher) {
        String prefix = "enc:v1:" + cipher.keyIds().get(0) + ":";
        assertThat((String) row.get("secret")).startsWith(prefix).doesNotContain(SECRET.substring(6));
        assertThat((String) row.get("previous_secret")).startsWith(prefix).doesNotContain(PREVIOUS.substring(6));
        assertThat((String) row.get("headers")).contains("\"Authorization\":\"" + prefix).doesNotContain(HEADER_VALUE)
                .doesNotContain("receiver-api-key");
    }

    @Test
    void theStoreWritesCiphertextAndReadsThePlaintextBack() {
        EndpointStore store = new EndpointStore(jdbc, KEY_A, JSON);
        store.insert(endpoint("ep_new"));
        holdsNoPlaintext(raw("ep_new"), KEY_A);
        Endpoint read = store.find("ep_new").orElseThrow();
        assertThat(read.secret()).isEqualTo(SECRET);
        assertThat(read.previousSecret()).isEqualTo(PREVIOUS);
        assertThat(read.headers()).containsExactly(Map.entry("Authorization", HEADER_VALUE));

        store.update(read.withEnabled(false, "test", 1));
        holdsNoPlaintext(raw("ep_new"), KEY_A);
        assertThat(migrate(KEY_A)).isZero();   // written encrypted: nothing to migrate
    }

    @Test
    void plaintextRowsAreEncryptedOnceAndReadTheSame() {
        plaintextRow("ep_old");
        new EndpointStore(jdbc, KEY_A, JSON).insert(endpoint("ep_new"));
        Map<String, Object> before = raw("ep_new");

        assertThat(migrate(KEY_A)).isEqualTo(1);
        holdsNoPlaintext(raw("ep_old"), KEY_A);
        assertThat(raw("ep_new")).isEqualTo(before);   // already encrypted with the current key: untouched
        Endpoint read = new EndpointStore(jdbc, KEY_A, JSON).find("ep_old").orElseThrow();
        assertThat(read.secret()).isEqualTo(SECRET);
        assertThat(read.previousSecret()).isEqualTo(PREVIOUS);
        assertThat(read.headers()).containsEntry("Authorization", HEADER_VALUE);

        Map<String, Object> migrated = raw("ep_old");
        assertThat(migrate(KEY_A)).isZero();
        assertThat(raw("ep_old")).isEqualTo(migrated);
    }

    @Test
    void rotationReencryptsEveryRowUnderTheFirstKey() {
        new EndpointStore(jdbc, KEY_A, JSON).insert(endpoint("ep_a"));
        SecretCipher rotated = new SecretCipher(List.of(key(2), key(1)));
        assertThat(migrate(rotated)).isEqualTo(1);
        holdsNoPlaintext(raw("ep_a"), KEY_B);
        assertThat(new EndpointStore(jdbc, KEY_B, JSON).find("ep_a").orElseThrow().secret()).isEqualTo(SECRET);
    }

    @Test
    void aKeyThatCannotReadARowStopsTheMigrationNamingTheEndpointAndChangesNothing() {
        plaintextRow("ep_old");
        new EndpointStore(jdbc, KEY_A, JSON).insert(endpoint("ep_a"));
        assertThatThrownBy(() -> migrate(KEY_B))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("endpoint 'ep_a': a stored secret cannot be decrypted")
                .hasMessageContaining("key " + KEY_A.keyIds().get(0) + ", which is not configured")
                .hasMessageContaining("hooksync.outbound.encryption-keys")
                .hasMessageNotContaining(SECRET);
        assertThat(raw("ep_old").get("secret")).isEqualTo(SECRET);   // rolled back: the plaintext row is as it was
        assertThatThrownBy(() -> new EndpointStore(jdbc, KEY_B, JSON).all())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("endpoint 'ep_a'");
    }

    @Test
    void aTamperedCiphertextStopsTheMigrationNamingTheEndpoint() {
        new EndpointStore(jdbc, KEY_A, JSON).insert(endpoint("ep_a"));
        new EndpointStore(jdbc, KEY_A, JSON).insert(endpoint("ep_b"));
        jdbc.update("UPDATE hooksync_endpoints SET secret = (SELECT secret FROM (SELECT secret FROM hooksync_endpoints"
                + " WHERE id = 'ep_a') AS a) WHERE id = 'ep_b'");   // ep_a's ciphertext copied into ep_b's row
        assertThatThrownBy(() -> migrate(KEY_A))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("endpoint 'ep_b'").hasMessageContaining("integrity check")
                .hasMessageNotContaining("endpoint 'ep_a'");
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[SecretCipher.KEY_BYTES];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }
}
