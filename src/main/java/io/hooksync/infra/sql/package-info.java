/**
 * The SQL dialect: everything that differs between PostgreSQL and MariaDB/MySQL (identifier quoting, column
 * types, value binding, insert-ignoring, bounded deletes, the version-guarded upsert, multi-row writes), as one
 * {@link io.hooksync.infra.sql.SqlDialect} strategy per database ({@link io.hooksync.infra.sql.PostgresDialect},
 * {@link io.hooksync.infra.sql.MariaDbDialect}), chosen once from the engine's DataSource ({@link
 * io.hooksync.infra.sql.SqlConfiguration}) and injected where SQL is written. Features never ask which
 * database they are on.
 */
package io.hooksync.infra.sql;
