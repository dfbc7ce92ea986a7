package io.hooksync.cdc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.hooksync.infra.EventTopics;
import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.SecretReferences;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Builds the enabled CDC sources from {@code hooksync.cdc.sources}; every problem (a missing password
 * variable, an unsupported kind, a table name that is not {@code schema.table}, a name already used by a
 * webhook source) is collected and reported together, so the engine does not start half-configured.
 */
final class CdcSources {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,40}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Set<String> SNAPSHOT_MODES = Set.of("initial", "no_data", "when_needed", "always");

    private CdcSources() {
    }

    static List<CdcSource> build(CdcProperties properties, Environment environment, DataSource engineDatabase,
                                 EventTopics topics) {
        List<String> problems = new ArrayList<>();
        List<CdcSource> sources = new ArrayList<>();
        properties.sources().forEach((name, config) -> {
            if (!config.enabled()) {
                return;
            }
            try {
                if (Binder.get(environment).bind("hooksync.sources." + name, Bindable.mapOf(String.class, Object.class))
                        .isBound()) {
                    throw new IllegalArgumentException("a webhook source has the same name; CDC and webhook sources "
                            + "share one namespace (their events share hooksync:events?source=" + name + ")");
                }
                sources.add(build(name, config, environment, engineDatabase, topics));
            } catch (IllegalArgumentException e) {
                problems.add("CDC source '" + name + "' (hooksync.cdc.sources." + name + "): " + e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return List.copyOf(sources);
    }

    private static CdcSource build(String name, CdcProperties.SourceProperties config, Environment environment,
                                   DataSource engineDatabase, EventTopics topics) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the name must be lower-case letters, digits, '-' or '_' (at most 41)");
        }
        if (!"postgresql".equalsIgnoreCase(config.kind())) {
            throw new IllegalArgumentException("kind '" + config.kind() + "' is not supported; use postgresql "
                    + "(MariaDB/MySQL binlog capture is not built yet)");
        }
        if (config.tables().isEmpty()) {
            throw new IllegalArgumentException("tables is empty: name the tables to capture, e.g. [public.customers]");
        }
        List<String> tables = new ArrayList<>();
        for (String table : config.tables()) {
            String trimmed = table.trim();
            if (!TABLE.matcher(trimmed).matches()) {
                throw new IllegalArgumentException("table '" + table + "' is not schema.table (letters, digits, '_')");
            }
            tables.add(trimmed.contains(".") ? trimmed : "public." + trimmed);
        }
        if (!SNAPSHOT_MODES.contains(config.snapshot())) {
            throw new IllegalArgumentException("snapshot must be one of " + SNAPSHOT_MODES);
        }
        if (config.heartbeat().isNegative() || config.heartbeat().isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive (an idle source would keep WAL forever)");
        }
        Map<String, String> connection = connection(config, environment, engineDatabase);
        Properties url = org.postgresql.Driver.parseURL(connection.get("url"), null);
        if (url == null) {
            throw new IllegalArgumentException("url '" + connection.get("url") + "' is not a jdbc:postgresql:// URL");
        }
        String host = url.getProperty("PGHOST", "localhost").split(",")[0];
        int port = Integer.parseInt(url.getProperty("PGPORT", "5432").split(",")[0]);
        return new CdcSource(name, topics.topicOf(name), connection.get("url"), host, port,
                url.getProperty("PGDBNAME"), connection.get("user"), connection.get("password"), List.copyOf(tables),
                config.publicationAutocreate(), config.snapshot(), config.heartbeat(), config.maxLag().toBytes());
    }

    /** url, user and password: configured, or the engine's own database when url is empty. */
    private static Map<String, String> connection(CdcProperties.SourceProperties config, Environment environment,
                                                  DataSource engineDatabase) {
        Map<String, String> connection = new LinkedHashMap<>();
        if (config.url().isBlank()) {
            if (!(engineDatabase instanceof HikariDataSource hikari) || hikari.getJdbcUrl() == null
                    || !hikari.getJdbcUrl().startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("url is empty and the engine's own database is not PostgreSQL: "
                        + "set url, user and password");
            }
            connection.put("url", hikari.getJdbcUrl());
            connection.put("user", hikari.getUsername() == null ? "" : hikari.getUsername());
            connection.put("password", hikari.getPassword() == null ? "" : hikari.getPassword());
            return connection;
        }
        if (config.user().isBlank()) {
            throw new IllegalArgumentException("user is empty");
        }
        connection.put("url", config.url().trim());
        connection.put("user", config.user().trim());
        // no password (e.g. trust authentication) or env:NAME / file:/path, never a literal
        connection.put("password", config.password() == null || config.password().isBlank() ? ""
                : SecretReferences.resolve(config.password(), environment));
        return connection;
    }
}
