package io.hooksync.infra.sql;

import java.sql.Types;

/** The JDBC type code a null of each {@link SqlType} is bound with. */
final class JdbcTypes {

    private JdbcTypes() {
    }

    static int of(SqlType type) {
        return switch (type) {
            case TEXT, JSON -> Types.VARCHAR;
            case INTEGER -> Types.INTEGER;
            case BIGINT -> Types.BIGINT;
            case NUMERIC -> Types.NUMERIC;
            case DOUBLE -> Types.DOUBLE;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMPTZ -> Types.TIMESTAMP_WITH_TIMEZONE;
            case DATE -> Types.DATE;
        };
    }
}
