package io.hooksync.cdc;

import java.time.Duration;
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
import io.hooksync.infra.SettingBounds;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Builds the enabled CDC sources from {@code hooksync.cdc.sources}; every problem (a missing password
 * variable, an unsupported kind, a table name that is not {@code schema.table} or {@code database.table},
 * a url of the wrong kind, a name already used by a
 * webhook source) is collected and reported together, so the engine does not start half-configured.
 */
final class CdcSources {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,40}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Pattern MARIADB_URL =
            Pattern.compile("jdbc:mariadb://([^:/?,]+)(?::(\\d{1,5}))?(?:/([A-Za-z0-9_$]*))?(?:\\?.*)?");
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
        CdcSource.Kind kind = kind(config.kind());
        if (config.tables().isEmpty()) {
            throw new IllegalArgumentException("tables is empty: name the tables to capture, e.g. ["
                    + (kind == CdcSource.Kind.POSTGRESQL ? "public.customers" : "shop.customers") + "]");
        }
        if (!SNAPSHOT_MODES.contains(config.snapshot())) {
            throw new IllegalArgumentException("snapshot must be one of " + SNAPSHOT_MODES);
        }
        SettingBounds.between("heartbeat", config.heartbeat(), Duration.ofMillis(100), Duration.ofHours(1),
                "without it an idle source keeps WAL forever");
        SettingBounds.between("max-lag", config.maxLag(), DataSize.ofMegabytes(1), DataSize.ofTerabytes(1),
                "WAL the slot keeps before health is DOWN");
        Map<String, String> connection = connection(kind, config, environment, engineDatabase);
        Location location = kind == CdcSource.Kind.POSTGRESQL ? postgresLocation(connection.get("url"))
                : mariaDbLocation(connection.get("url"));
        List<String> tables = new ArrayList<>();
        for (String table : config.tables()) {
            String trimmed = table.trim();
            if (!TABLE.matcher(trimmed).matches()) {
                throw new IllegalArgumentException("table '" + table + "' is not "
                        + (kind == CdcSource.Kind.POSTGRESQL ? "schema.table" : "database.table")
                        + " (letters, digits, '_')");
            }
            if (trimmed.contains(".")) {
                tables.add(trimmed);
            } else if (kind == CdcSource.Kind.POSTGRESQL) {
                tables.add("public." + trimmed);
            } else if (!location.database().isEmpty()) {
                tables.add(location.database() + "." + trimmed);
            } else {
                throw new IllegalArgumentException("table '" + table + "' names no database and the url names none: "
                        + "write database.table");
            }
        }
        return new CdcSource(kind, name, topics.topicOf(name), connection.get("url"), location.host(), location.port(),
                location.database(), connection.get("user"), connection.get("password"), List.copyOf(tables),
                config.publicationAutocreate(), config.snapshot(), config.heartbeat(), config.maxLag().toBytes());
    }

    private record Location(String host, int port, String database) {
    }

    private static CdcSource.Kind kind(String kind) {
        return switch (kind == null ? "" : kind.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "postgresql", "postgres" -> CdcSource.Kind.POSTGRESQL;
            case "mariadb" -> CdcSource.Kind.MARIADB;
            case "mysql" -> throw new IllegalArgumentException("kind 'mysql' is not supported yet: Hooksync captures "
                    + "MariaDB's binlog (kind: mariadb) and PostgreSQL (kind: postgresql); MySQL needs Debezium's MySQL "
                    + "connector, which is not bundled");
            default -> throw new IllegalArgumentException("kind '" + kind + "' is not supported; use postgresql or mariadb");
        };
    }

    private static Location postgresLocation(String jdbcUrl) {
        Properties url = org.postgresql.Driver.parseURL(jdbcUrl, null);
        if (url == null) {
            throw new IllegalArgumentException("url '" + jdbcUrl + "' is not a jdbc:postgresql:// URL");
        }
        return new Location(url.getProperty("PGHOST", "localhost").split(",")[0],
                Integer.parseInt(url.getProperty("PGPORT", "5432").split(",")[0]), url.getProperty("PGDBNAME"));
    }

    /** {@code jdbc:mariadb://host[:port][/database][?options]}, one host (Debezium follows one server). */
    private static Location mariaDbLocation(String jdbcUrl) {
        java.util.regex.Matcher m = MARIADB_URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("url '" + jdbcUrl + "' is not jdbc:mariadb://host[:port][/database] "
                    + "with a single host");
        }
        return new Location(m.group(1), m.group(2) == null ? 3306 : Integer.parseInt(m.group(2)),
                m.group(3) == null ? "" : m.group(3));
    }

    /** url, user and password: configured, or the engine's own database when url is empty. */
    private static Map<String, String> connection(CdcSource.Kind kind, CdcProperties.SourceProperties config,
                                                  Environment environment, DataSource engineDatabase) {
        Map<String, String> connection = new LinkedHashMap<>();
        if (config.url().isBlank() && kind == CdcSource.Kind.MARIADB) {
            throw new IllegalArgumentException("url is empty: a mariadb source needs url (jdbc:mariadb://host:3306/db), "
                    + "user and password");
        }
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
