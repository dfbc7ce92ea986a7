package io.hooksync.infra.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The dialect is picked from the product name once; each speaks its database's words. */
class SqlDialectTest {

    private final SqlDialect postgres = SqlDialect.of("PostgreSQL");
    private final SqlDialect mariaDb = SqlDialect.of("MariaDB");

    @Test
    void theProductNameChoosesTheDialect() {
        assertThat(postgres.name()).isEqualTo("postgresql");
        assertThat(mariaDb.name()).isEqualTo("mariadb");
        assertThat(SqlDialect.of("MySQL").name()).isEqualTo("mariadb");
        assertThatThrownBy(() -> SqlDialect.of("H2")).hasMessageContaining("unsupported database 'H2'");
    }

    @Test
    void eachSpeaksItsOwnWords() {
        assertThat(postgres.quote("t")).isEqualTo("\"t\"");
        assertThat(mariaDb.quote("t")).isEqualTo("`t`");
        assertThat(postgres.insertIgnoring("m", "a, b", 2)).isEqualTo("INSERT INTO m (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING");
        assertThat(mariaDb.insertIgnoring("m", "a, b", 2)).isEqualTo("INSERT IGNORE INTO m (a, b) VALUES (?, ?)");
        assertThat(postgres.deleteAtMost("a", "x < ?"))
                .isEqualTo("DELETE FROM a WHERE ctid IN (SELECT ctid FROM a WHERE x < ? LIMIT ?)");
        assertThat(mariaDb.deleteAtMost("a", "x < ?")).isEqualTo("DELETE FROM a WHERE x < ? LIMIT ?");
        assertThat(postgres.columnType(SqlType.TEXT, true)).isEqualTo("text");
        assertThat(mariaDb.columnType(SqlType.TEXT, true)).isEqualTo("varchar(255)");
        assertThat(mariaDb.columnType(SqlType.TEXT, false)).isEqualTo("longtext");
        assertThat(postgres.columnType(SqlType.JSON, false)).isEqualTo("jsonb");
        assertThat(postgres.differs("a", "b")).isEqualTo("(a IS DISTINCT FROM b)");
        assertThat(mariaDb.differs("a", "b")).isEqualTo("NOT (BINARY a <=> BINARY b)");
    }

    @Test
    void theUpsertGuardsTheVersionAndWritesOnlyAChange() {
        UpsertTable table = new UpsertTable("issues", List.of("id", "title", "updated_at"),
                List.of(SqlType.BIGINT, SqlType.TEXT, SqlType.TIMESTAMPTZ), List.of("id"), "updated_at");
        assertThat(postgres.upsert(table))
                .contains("ON CONFLICT (\"id\") DO UPDATE SET \"title\" = EXCLUDED.\"title\"")
                .contains("WHERE (\"issues\".\"updated_at\" IS NULL OR \"issues\".\"updated_at\" <= EXCLUDED.\"updated_at\")"
                        + " AND ROW(\"issues\".\"title\", \"issues\".\"_hooksync_deleted\", \"issues\".\"updated_at\")"
                        + " IS DISTINCT FROM ROW(EXCLUDED.\"title\", EXCLUDED.\"_hooksync_deleted\", EXCLUDED.\"updated_at\")")
                .contains("u.v0::bigint").contains("u.v2::timestamptz");
        assertThat(mariaDb.upsert(table))
                .startsWith("INSERT INTO `issues` (`id`, `title`, `updated_at`, `_hooksync_deleted`, `_hooksync_event_id`,"
                        + " `_hooksync_synced_at`) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE"
                        + " `_hooksync_event_id` = IF(")
                .endsWith("`updated_at` = IF(`updated_at` IS NULL OR `updated_at` <= VALUES(`updated_at`),"
                        + " VALUES(`updated_at`), `updated_at`)");
    }
}
