package io.hooksync.infra.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

/**
 * What differs between PostgreSQL and MariaDB/MySQL, one implementation per database, chosen once per
 * engine ({@link #of(DataSource)}) and injected. Identifiers come from validated mapping files or
 * constants and are quoted here; values are always bound parameters.
 */
public interface SqlDialect {

    /** The dialect of the database behind {@code dataSource}; an unsupported database is refused. */
    static SqlDialect of(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection.getMetaData().getDatabaseProductName());
        }
    }

    static SqlDialect of(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgres")) {
            return new PostgresDialect();
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return new MariaDbDialect();
        }
        throw new IllegalStateException("unsupported database '" + productName + "': use PostgreSQL, MariaDB or MySQL");
    }

    /** {@code postgresql} or {@code mariadb}: also the folder of the engine's Flyway migrations. */
    String name();

    String quote(String identifier);

    /** A null-safe "the two values differ" condition over two SQL expressions. */
    String differs(String a, String b);

    /** The column type for values of {@code type}; {@code key} columns may need a bounded type. */
    String columnType(SqlType type, boolean key);

    /**
     * The columns of table {@code table} as it exists (lower-case names, in no particular order) with each one's type
     * as the database spells it ({@code integer}, {@code int(11)}, {@code character varying(40)}); empty when there is
     * no such table.
     */
    Map<String, String> columnTypes(Connection c, String table) throws SQLException;

    /**
     * Why the upsert cannot write values of {@code type} (cast to {@link #columnType}) into the existing column
     * {@code column} of {@code table}, whose type is {@code existing} ({@link #columnTypes}), or null when it can: as
     * the database converts on assignment, so an {@code integer} column takes a {@code bigint} mapping and a
     * {@code varchar} column a {@code text} one. A value that does not fit (out of range, too long) still fails its
     * event. The reason completes "the mapping writes text, which ...".
     */
    String refusal(Connection c, String table, String column, String existing, SqlType type) throws SQLException;

    /** Binds a value of a column of {@code type} (null included). */
    void bind(PreparedStatement statement, int index, Object value, SqlType type) throws SQLException;

    /** An INSERT of one row of {@code count} parameters that silently skips a row whose unique key exists. */
    String insertIgnoring(String table, String columns, int count);

    /**
     * Has the database plan {@code statement} at each execution, for its tables as they are then, instead of keeping
     * a generic plan made once: for the queries a busy engine repeats on tables that grow from empty (the ledger
     * lookup, the outbox relay, the delivery claim). PostgreSQL only; MariaDB plans each execution anyway.
     */
    default void planEachExecution(PreparedStatement statement) throws SQLException {
    }

    /**
     * For the rest of the caller's transaction, has the database read a queue (oldest pending rows first, LIMIT n)
     * through its index in order rather than collecting every match and sorting them. PostgreSQL only (no bitmap
     * scans, no sorts in that transaction): when the statistics promise fewer matches than the limit it collected
     * them with a bitmap scan or another index and sorted them; a bitmap scan visits the heap for every index entry
     * of the rows relayed since the last vacuum, at every batch (350 ms per outbox batch in a 200,000-event drain).
     * An ordered index scan stops at the limit and marks the dead entries it passes, so later scans skip them.
     * MariaDB reads an index range in order anyway.
     */
    default void readQueuesInIndexOrder(Connection c) throws SQLException {
    }

    /**
     * Whether a {@code DELETE ... RETURNING} can feed a query in one statement (a data-modifying {@code WITH}), so a
     * queue's batch is locked, taken off and joined to its rows at once: PostgreSQL yes; MariaDB no, so the outbox
     * relay selects its batch there and deletes it by key.
     */
    default boolean deletesInWith() {
        return false;
    }

    /** A DELETE of at most N rows matching {@code condition}; N is the last parameter. */
    String deleteAtMost(String table, String condition);

    /** A column of a multi-row insert. */
    record Column(String name, SqlType type) {

        public static Column text(String name) {
            return new Column(name, SqlType.TEXT);
        }

        public static Column integer(String name) {
            return new Column(name, SqlType.INTEGER);
        }

        public static Column bigint(String name) {
            return new Column(name, SqlType.BIGINT);
        }
    }

    /** Inserts {@code rows} (values in column order) in as few round trips as the database allows, in order. */
    void insertRows(Connection c, String table, List<Column> columns, List<Object[]> rows) throws SQLException;

    /**
     * {@link #insertRows}, and the key each row was given ({@code table}'s generated {@code id}) into {@code queue}'s
     * {@code queueColumn}, in the caller's transaction: a row is never committed without its queue entry. PostgreSQL in
     * one statement; MariaDB in two (the rows' JDBC batch, whose generated keys it reads, then the queue's), which
     * commit separately if the caller left auto-commit on (every engine caller writes in a transaction).
     */
    void insertRowsQueued(Connection c, String table, List<Column> columns, List<Object[]> rows, String queue,
                          String queueColumn) throws SQLException;

    /**
     * {@link #insertRows}, skipping every row whose unique key exists (or came earlier in {@code rows}).
     *
     * @return how many rows it inserted, or -1 when the database does not say ({@link #countsIgnoredInserts()})
     */
    int insertRowsIgnoring(Connection c, String table, List<Column> columns, List<Object[]> rows) throws SQLException;

    /**
     * Whether {@link #insertRowsIgnoring} returns how many rows it inserted: PostgreSQL's one statement does; MariaDB's
     * JDBC batch may answer "no info" per row, so it is not relied on there.
     */
    default boolean countsIgnoredInserts() {
        return false;
    }

    /**
     * Updates rows of {@code table} by their {@code key} column in as few round trips as the database allows: each
     * row of {@code rows} holds the values of {@code columns} and then the key. {@code fixed} is assignments the same
     * for every row (SQL, may be empty). {@code guard} (may be null): a row's value after its key, and the stored row
     * is updated only while its guard column holds that value (a claim token, say). When two rows name the same key
     * the later one wins, as one by one.
     */
    void updateRows(Connection c, String table, List<Column> columns, String fixed, Column key, Column guard,
                    List<Object[]> rows) throws SQLException;

    /**
     * The distinct text values of {@code column} among {@code values} that {@code select} finds: {@code select}
     * ends with "... AND " and selects {@code column}; {@code leading} are its parameters.
     */
    Set<String> matching(Connection c, String select, List<String> leading, String column, List<String> values)
            throws SQLException;

    /**
     * The version-guarded upsert of {@code table}: applied only when the stored version is null or not newer and
     * the row would change (an upsert that leaves the row as it was is stale: it emits nothing).
     */
    String upsert(UpsertTable table);

    /** Runs {@link #upsert(UpsertTable)}: per row 1 when it was inserted or updated, 0 when the stored row was kept. */
    int[] upsert(Connection c, String sql, UpsertTable table, List<UpsertTable.Row> rows) throws SQLException;
}
