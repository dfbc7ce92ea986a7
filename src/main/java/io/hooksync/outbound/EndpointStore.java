package io.hooksync.outbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Endpoints in the engine's database ({@code hooksync_endpoints}); lists and maps are JSON text columns.
 * The signing secrets and the header values are stored encrypted ({@link SecretCipher}, bound to the
 * endpoint id); a plaintext value (written before encryption existed) is read as it is until
 * {@link StoredSecretsMigration} encrypts it at the next start.
 */
final class EndpointStore {

    private static final String COLUMNS = "id, url, description, event_types, filter, headers, secret, previous_secret,"
            + " previous_secret_until, enabled, ordered, max_in_flight, disabled_reason, managed_by, failing_since, created_at,"
            + " updated_at";

    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;
    private final ObjectMapper json;
    private final RowMapper<Endpoint> rows = this::row;

    EndpointStore(JdbcTemplate jdbc, SecretCipher cipher, ObjectMapper json) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.json = json;
    }

    List<Endpoint> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM hooksync_endpoints ORDER BY created_at, id", rows);
    }

    Optional<Endpoint> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM hooksync_endpoints WHERE id = ?", rows, id).stream().findFirst();
    }

    void insert(Endpoint e) {
        jdbc.update("INSERT INTO hooksync_endpoints (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(), e.url(), e.description(), json(json, e.eventTypes()), e.filter(), json(json, seal(e.headers(), e.id())),
                seal(e.secret(), e.id()), seal(e.previousSecret(), e.id()), e.previousSecretUntil(), e.enabled(), e.ordered(),
                e.maxInFlight(), e.disabledReason(), e.managedBy(), e.failingSince(), e.createdAt(), e.updatedAt());
    }

    void update(Endpoint e) {
        jdbc.update("UPDATE hooksync_endpoints SET url = ?, description = ?, event_types = ?, filter = ?, headers = ?,"
                        + " secret = ?, previous_secret = ?, previous_secret_until = ?, enabled = ?, ordered = ?, max_in_flight = ?,"
                        + " disabled_reason = ?, managed_by = ?, failing_since = ?, updated_at = ? WHERE id = ?",
                e.url(), e.description(), json(json, e.eventTypes()), e.filter(), json(json, seal(e.headers(), e.id())),
                seal(e.secret(), e.id()), seal(e.previousSecret(), e.id()), e.previousSecretUntil(), e.enabled(), e.ordered(),
                e.maxInFlight(), e.disabledReason(), e.managedBy(), e.failingSince(), e.updatedAt(), e.id());
    }

    /** Removes the endpoint with its deliveries and attempts. */
    boolean delete(String id) {
        jdbc.update("DELETE FROM hooksync_attempts WHERE endpoint_id = ?", id);
        jdbc.update("DELETE FROM hooksync_deliveries WHERE endpoint_id = ?", id);
        return jdbc.update("DELETE FROM hooksync_endpoints WHERE id = ?", id) == 1;
    }

    private Endpoint row(ResultSet rs, int n) throws SQLException {
        String id = rs.getString("id");
        return new Endpoint(id, rs.getString("url"), rs.getString("description"),
                read(json, rs.getString("event_types"), new TypeReference<List<String>>() {
                }), rs.getString("filter"), open(headers(json, rs.getString("headers")), id),
                open(rs.getString("secret"), id), open(rs.getString("previous_secret"), id),
                (Long) rs.getObject("previous_secret_until", Long.class), rs.getBoolean("enabled"), rs.getBoolean("ordered"),
                (Integer) rs.getObject("max_in_flight", Integer.class), rs.getString("disabled_reason"), rs.getString("managed_by"),
                (Long) rs.getObject("failing_since", Long.class), rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    private String seal(String value, String id) {
        return value == null ? null : cipher.encrypt(value, id);
    }

    private Map<String, String> seal(Map<String, String> headers, String id) {
        return values(headers, v -> seal(v, id));
    }

    private String open(String stored, String id) {
        if (!SecretCipher.isEncrypted(stored)) {
            return stored;
        }
        try {
            return cipher.decrypt(stored, id);
        } catch (SecretCipher.UnreadableSecretException e) {
            throw new IllegalStateException("endpoint '" + id + "': a stored secret cannot be decrypted: " + e.getMessage());
        }
    }

    private Map<String, String> open(Map<String, String> headers, String id) {
        return values(headers, v -> open(v, id));
    }

    /** The same header names, each value changed by {@code change}, in the same order. */
    static Map<String, String> values(Map<String, String> headers, UnaryOperator<String> change) {
        Map<String, String> changed = new LinkedHashMap<>();
        headers.forEach((name, value) -> changed.put(name, change.apply(value)));
        return changed;
    }

    static Map<String, String> headers(ObjectMapper json, String text) {
        return read(json, text, new TypeReference<LinkedHashMap<String, String>>() {
        });
    }

    static String json(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(ObjectMapper json, String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("hooksync_endpoints holds malformed JSON: " + e.getOriginalMessage(), e);
        }
    }
}
