package io.hooksync.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.hooksync.infra.InvalidConfigurationException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs at startup, before any endpoint is read: every stored signing secret (current and previous) and
 * header value ends up encrypted with the current key. Plaintext rows (from before encryption) are
 * encrypted, rows under an older configured key are re-encrypted (key rotation), and each value is
 * decrypted once to prove the configured keys can read it. A value no configured key can read stops
 * startup naming its endpoint: the engine never runs on with secrets it cannot use. One transaction,
 * rows locked, so instances starting together do it once; running it again changes nothing.
 */
final class StoredSecretsMigration {

    private static final Logger log = LoggerFactory.getLogger(StoredSecretsMigration.class);

    private record Stored(String id, String secret, String previousSecret, String headers) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final SecretCipher cipher;
    private final ObjectMapper json;

    StoredSecretsMigration(JdbcTemplate jdbc, TransactionTemplate transactions, SecretCipher cipher, ObjectMapper json) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.cipher = cipher;
        this.json = json;
    }

    /** The number of endpoints whose stored values were (re-)encrypted. */
    int run() {
        int changed = Objects.requireNonNull(transactions.execute(status -> {
            List<Stored> rows = jdbc.query("SELECT id, secret, previous_secret, headers FROM hooksync_endpoints"
                            + " ORDER BY id FOR UPDATE", (rs, n) -> new Stored(rs.getString("id"), rs.getString("secret"),
                    rs.getString("previous_secret"), rs.getString("headers")));
            List<String> problems = new ArrayList<>();
            int count = 0;
            for (Stored row : rows) {
                try {
                    Stored sealed = seal(row);
                    if (!sealed.equals(row)) {
                        jdbc.update("UPDATE hooksync_endpoints SET secret = ?, previous_secret = ?, headers = ? WHERE id = ?",
                                sealed.secret(), sealed.previousSecret(), sealed.headers(), row.id());
                        count++;
                    }
                } catch (SecretCipher.UnreadableSecretException e) {
                    problems.add("endpoint '" + row.id() + "': a stored secret cannot be decrypted: " + e.getMessage()
                            + "; list the key it was encrypted with in " + EncryptionKeys.SETTING);
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            return count;
        }));
        if (changed > 0) {
            log.info("Encrypted the stored secrets of {} endpoint(s) with key {}", changed, cipher.keyIds().get(0));
        }
        return changed;
    }

    private Stored seal(Stored row) {
        Map<String, String> headers = EndpointStore.headers(json, row.headers());
        Map<String, String> sealedHeaders = EndpointStore.values(headers, v -> seal(v, row.id()));
        return new Stored(row.id(), seal(row.secret(), row.id()), seal(row.previousSecret(), row.id()),
                sealedHeaders.equals(headers) ? row.headers() : EndpointStore.json(json, sealedHeaders));
    }

    /** {@code stored} as it should be kept: unchanged if encrypted with the current key, else (re-)encrypted. */
    private String seal(String stored, String id) {
        if (stored == null) {
            return null;
        }
        if (!SecretCipher.isEncrypted(stored)) {
            return cipher.encrypt(stored, id);
        }
        String plain = cipher.decrypt(stored, id);
        return cipher.isCurrent(stored) ? stored : cipher.encrypt(plain, id);
    }
}
