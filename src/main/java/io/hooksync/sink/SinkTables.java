package io.hooksync.sink;

import java.util.List;

import io.hooksync.infra.sql.SqlType;
import io.hooksync.infra.sql.UpsertTable;
import io.hooksync.mapping.ColumnType;
import io.hooksync.mapping.Mapping;

/** A mapping's target table as the SQL dialect sees it. */
final class SinkTables {

    private SinkTables() {
    }

    static UpsertTable of(Mapping mapping) {
        List<Mapping.Column> columns = List.copyOf(mapping.columns().values());
        return new UpsertTable(mapping.table(), columns.stream().map(Mapping.Column::name).toList(),
                columns.stream().map(c -> type(c.type())).toList(), mapping.key(), mapping.version());
    }

    static SqlType type(ColumnType type) {
        return switch (type) {
            case TEXT -> SqlType.TEXT;
            case INTEGER -> SqlType.INTEGER;
            case BIGINT -> SqlType.BIGINT;
            case NUMERIC -> SqlType.NUMERIC;
            case DOUBLE -> SqlType.DOUBLE;
            case BOOLEAN -> SqlType.BOOLEAN;
            case TIMESTAMPTZ -> SqlType.TIMESTAMPTZ;
            case DATE -> SqlType.DATE;
            case JSON -> SqlType.JSON;
        };
    }
}
