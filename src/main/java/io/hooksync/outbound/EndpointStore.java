package io.hooksync.outbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** Endpoints in the engine's database ({@code hooksync_endpoints}); lists and maps are JSON text columns. */
final class EndpointStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, url, description, event_types, filter, headers, secret, previous_secret,"
            + " previous_secret_until, enabled, ordered, disabled_reason, managed_by, failing_since, created_at, updated_at";

    private final JdbcTemplate jdbc;
    private final RowMapper<Endpoint> rows = this::row;

    EndpointStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Endpoint> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM hooksync_endpoints ORDER BY created_at, id", rows);
    }

    Optional<Endpoint> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM hooksync_endpoints WHERE id = ?", rows, id).stream().findFirst();
    }

    void insert(Endpoint e) {
        jdbc.update("INSERT INTO hooksync_endpoints (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(), e.url(), e.description(), json(e.eventTypes()), e.filter(), json(e.headers()), e.secret(),
                e.previousSecret(), e.previousSecretUntil(), e.enabled(), e.ordered(), e.disabledReason(), e.managedBy(),
                e.failingSince(), e.createdAt(), e.updatedAt());
    }

    void update(Endpoint e) {
        jdbc.update("UPDATE hooksync_endpoints SET url = ?, description = ?, event_types = ?, filter = ?, headers = ?,"
                        + " secret = ?, previous_secret = ?, previous_secret_until = ?, enabled = ?, ordered = ?, disabled_reason = ?,"
                        + " managed_by = ?, failing_since = ?, updated_at = ? WHERE id = ?",
                e.url(), e.description(), json(e.eventTypes()), e.filter(), json(e.headers()), e.secret(),
                e.previousSecret(), e.previousSecretUntil(), e.enabled(), e.ordered(), e.disabledReason(), e.managedBy(),
                e.failingSince(), e.updatedAt(), e.id());
    }

    /** Removes the endpoint with its deliveries and attempts. */
    boolean delete(String id) {
        jdbc.update("DELETE FROM hooksync_attempts WHERE endpoint_id = ?", id);
        jdbc.update("DELETE FROM hooksync_deliveries WHERE endpoint_id = ?", id);
        return jdbc.update("DELETE FROM hooksync_endpoints WHERE id = ?", id) == 1;
    }

    private Endpoint row(ResultSet rs, int n) throws SQLException {
        return new Endpoint(rs.getString("id"), rs.getString("url"), rs.getString("description"),
                read(rs.getString("event_types"), new TypeReference<List<String>>() {
                }), rs.getString("filter"),
                read(rs.getString("headers"), new TypeReference<Map<String, String>>() {
                }), rs.getString("secret"), rs.getString("previous_secret"),
                (Long) rs.getObject("previous_secret_until", Long.class), rs.getBoolean("enabled"), rs.getBoolean("ordered"),
                rs.getString("disabled_reason"), rs.getString("managed_by"),
                (Long) rs.getObject("failing_since", Long.class), rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("hooksync_endpoints holds malformed JSON: " + e.getOriginalMessage(), e);
        }
    }
}
