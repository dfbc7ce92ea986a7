package io.hooksync.sink;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.hooksync.infra.sql.SqlDialect;
import io.hooksync.infra.sql.UpsertTable;
import io.hooksync.mapping.CompiledMapping;
import io.hooksync.mapping.Mapping;
import io.hooksync.mapping.MappingException;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointAware;
import org.apache.camel.Processor;

/**
 * Backfill's door into the sink. It answers which events and which mapping a route consumes, reads a slice of
 * the route's topic by direct partition assignment ({@link HistoryReader}), and writes mapped rows through the
 * same version-guarded upsert as the live route, into the route's table or a shadow copy of it, in the caller's
 * transaction: no ledger rows (the live route's dedupe stays its own), no dead letters (an event the mapping
 * refuses is counted), outbox rows only when the caller asks for them.
 */
public final class ReplaySink {

    /** The flag column a delete sets (rows are kept as tombstones). */
    public static final String DELETED_COLUMN = UpsertTable.DELETED;

    private final SinkRuntime runtime;
    private final CamelContext camel;
    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final SchemaManager schema;

    ReplaySink(SinkRuntime runtime, CamelContext camel, DataSource dataSource, SqlDialect dialect) {
        this.runtime = runtime;
        this.camel = camel;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.schema = new SchemaManager(dataSource, dialect);
    }

    /** What Backfill needs to know of a route: where its events come from and the mapping its upsert step names. */
    public static final class Route {
        private final String id;
        private final String source;
        private final String topic;
        private final List<String> mappings;
        private final TypeFilter filter;
        private final EmitChoice emit;

        Route(String id, String source, String topic, List<String> mappings, TypeFilter filter, EmitChoice emit) {
            this.id = id;
            this.source = source;
            this.topic = topic;
            this.mappings = List.copyOf(mappings);
            this.filter = filter;
            this.emit = emit;
        }

        public String id() {
            return id;
        }

        public String source() {
            return source;
        }

        public String topic() {
            return topic;
        }

        /** The mappings the route's {@code hooksync:upsert} steps name, in route order. */
        public List<String> mappings() {
            return mappings;
        }
    }

    /** The route {@code routeId} when it consumes {@code hooksync:events}; empty for an unknown or other route. */
    public Optional<Route> route(String routeId) {
        org.apache.camel.Route route = camel.getRoute(routeId);
        if (route == null || !(route.getEndpoint() instanceof EventsEndpoint events)) {
            return Optional.empty();
        }
        List<String> mappings = new ArrayList<>();
        EmitChoice emit = EmitChoice.NONE;
        for (Processor processor : route.filter("*")) {
            if (processor instanceof EndpointAware aware && aware.getEndpoint() instanceof UpsertEndpoint upsert) {
                mappings.add(upsert.mappingName());
                emit = upsert.emit();
            }
        }
        return Optional.of(new Route(routeId, events.source(), runtime.topicOf(events.source()), mappings,
                events.filter(), emit));
    }

    /** The current version of a mapping (an edited file is re-read). */
    public Optional<Mapping> mapping(String name) {
        return runtime.mappings().find(name);
    }

    /** The problems of a mapping file whose last change was refused (an older version is in force), else empty. */
    public List<String> refusedChange(String name) {
        return runtime.mappings().refusedChange(name);
    }

    /** Per partition {first offset, end offset} of the route's topic from {@code start} (null: the beginning). */
    public Map<Integer, long[]> range(Route route, Instant start) {
        return HistoryReader.range(runtime.bootstrapServers(), route.topic, start);
    }

    public HistoryReader reader(Route route, Map<Integer, Long> from, Map<Integer, Long> end, int batchSize) {
        return new HistoryReader(runtime.bootstrapServers(), route.topic, route.source, from, end, batchSize);
    }

    /** Where replayed rows go: the route's table, or a shadow table of the same schema. Not thread-safe. */
    public final class Target {
        private final Route route;
        private final Mapping mapping;
        private final CompiledMapping compiled;
        private final String upsertSql;

        private Target(Route route, Mapping mapping, String upsertSql) {
            this.route = route;
            this.mapping = mapping;
            this.compiled = mapping.compile(runtime.settings().mappingBounds());
            this.upsertSql = upsertSql;
        }

        public String table() {
            return mapping.table();
        }

        public Mapping mapping() {
            return mapping;
        }
    }

    /** The route's own table (new columns of the mapping are added, as the live route would). */
    public Target realTable(Route route, Mapping mapping) {
        return new Target(route, mapping, runtime.upsertSql(mapping));
    }

    /**
     * Table {@code shadowTable} with the mapping's schema (emptied first when {@code fresh}, kept when a replay
     * resumes); rows written to it go nowhere else.
     */
    public Target shadowTable(Route route, Mapping mapping, String shadowTable, boolean fresh) throws SQLException {
        Mapping shadow = new Mapping(mapping.name(), mapping.file(), shadowTable, mapping.key(), mapping.columns(),
                mapping.version(), mapping.filter(), mapping.deleteWhen(), mapping.rows(), mapping.emit());
        if (fresh) {
            dropTable(shadowTable);
        }
        schema.ensure(List.of(shadow));
        return new Target(route, shadow, dialect.upsert(SinkTables.of(shadow)));
    }

    /** What one written batch did. */
    public record Written(int events, int rowsWritten, int rowsUnchanged, int rowsDeleted, int mappingErrors,
                          String firstError) {
    }

    /**
     * Maps the events the route wants and upserts their rows into {@code target} on {@code c} (the caller commits);
     * with {@code emit} each written row also gets the outbox row the live route would have written.
     */
    public Written write(Connection c, Target target, List<InboundEvent> events, boolean emit) throws SQLException {
        List<InboundEvent> mapped = new ArrayList<>();
        List<List<CompiledMapping.Row>> rowsOf = new ArrayList<>();
        int errors = 0;
        String firstError = null;
        for (InboundEvent event : events) {
            if (!target.route.filter.matches(event.type(), event.action())) {
                continue;
            }
            try {
                rowsOf.add(target.compiled.apply(target.compiled.read(event.payload()), SinkWriter.meta(event)));
                mapped.add(event);
            } catch (MappingException | IOException e) {
                errors++;
                firstError = firstError != null ? firstError : "event " + event.id() + ": " + e.getMessage();
            }
        }
        int[] counts = emit ? writeEmitting(c, target, mapped, rowsOf) : runtime.writer().writeMapped(c,
                new SinkWriter.Target(target.route.id, target.compiled, target.upsertSql, null), mapped, rowsOf);
        int written = 0;
        int deleted = 0;
        int next = 0;
        for (List<CompiledMapping.Row> rows : rowsOf) {
            for (CompiledMapping.Row row : rows) {
                if (counts[next++] != 0) {
                    written++;
                    deleted += row.deleted() ? 1 : 0;
                }
            }
        }
        return new Written(mapped.size(), written, next - written, deleted, errors, firstError);
    }

    /** Runs of events that emit the same type (as the live route splits them), each written with its type. */
    private int[] writeEmitting(Connection c, Target target, List<InboundEvent> events,
                                List<List<CompiledMapping.Row>> rowsOf) throws SQLException {
        EmitChoice choice = target.route.emit != EmitChoice.NONE ? target.route.emit
                : EmitChoice.parse(target.mapping.emit());
        List<Integer> counts = new ArrayList<>();
        int from = 0;
        for (List<InboundEvent> run : choice.runs(events)) {
            List<List<CompiledMapping.Row>> runRows = rowsOf.subList(from, from + run.size());
            from += run.size();
            String type = choice.typeFor(run.get(0).action());
            for (int count : runtime.writer().writeMapped(c, new SinkWriter.Target(target.route.id, target.compiled,
                    target.upsertSql, type), run, runRows)) {
                counts.add(count);
            }
        }
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Tables whose name starts with {@code prefix} (Backfill sweeps its leftover shadow tables). */
    public List<String> tablesStartingWith(String prefix) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             java.sql.ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), null, new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (name.startsWith(prefix)) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    public void dropTable(String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement drop = c.createStatement()) {
            drop.execute("DROP TABLE IF EXISTS " + dialect.quote(table));
        }
    }

    /** An identifier quoted for this database (names come from validated mappings or Backfill itself). */
    public String quote(String identifier) {
        return dialect.quote(identifier);
    }

    /** SQL that is true when {@code a} and {@code b} differ, NULLs compared as values. */
    public String distinct(String a, String b) {
        return dialect.differs(a, b);
    }

    /** {@code postgresql} or {@code mariadb}. */
    public String vendor() {
        return dialect.name();
    }
}
