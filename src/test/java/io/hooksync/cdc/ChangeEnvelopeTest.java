package io.hooksync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Debezium's record shape -> Hooksync's envelope, with stable ids and Debezium's encodings undone. */
class ChangeEnvelopeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("updated_at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
            .field("born", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
            .field("attributes", SchemaBuilder.string().name("io.debezium.data.Json").optional().build())
            .build();
    private static final Schema SOURCE = SchemaBuilder.struct()
            .field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA).field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("crm.public.customers.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();

    private static SourceRecord change(String op, long lsn, Struct before, Struct after) {
        Struct source = new Struct(SOURCE).put("schema", "public").put("table", "customers").put("lsn", lsn)
                .put("txId", 770L).put("ts_ms", 1_764_362_400_000L);
        Struct value = new Struct(ENVELOPE).put("op", op).put("source", source).put("before", before).put("after", after);
        return new SourceRecord(Map.of(), Map.of(), "crm.public.customers", KEY, new Struct(KEY).put("id", 7L),
                ENVELOPE, value);
    }

    private static Struct row(String name) {
        return new Struct(ROW).put("id", 7L).put("name", name).put("updated_at", 1_764_362_399_123_456L)
                .put("born", 20_000).put("attributes", "{\"plan\":\"pro\"}");
    }

    @Test
    void anUpdateBecomesTheEnvelopeWithIsoValues() throws Exception {
        CdcEvent event = ChangeEnvelope.of(change("u", 26_843_000L, null, row("Ada")));
        assertThat(event.table()).isEqualTo("public.customers");
        assertThat(event.op()).isEqualTo("update");
        assertThat(event.time()).isEqualTo("2025-11-28T20:40:00Z");
        assertThat(new String(event.key())).isEqualTo("{\"id\":7}");
        JsonNode envelope = JSON.readTree(event.envelope());
        assertThat(envelope.get("key").get("id").asLong()).isEqualTo(7);
        assertThat(envelope.get("before").isNull()).isTrue();
        assertThat(envelope.at("/after/updated_at").asText()).isEqualTo("2025-11-28T20:39:59.123456Z");
        assertThat(envelope.at("/after/born").asText()).isEqualTo("2024-10-04");
        assertThat(envelope.at("/after/attributes/plan").asText()).isEqualTo("pro");
        assertThat(envelope.at("/source/lsn").asLong()).isEqualTo(26_843_000L);
        assertThat(envelope.at("/source/txId").asLong()).isEqualTo(770L);
    }

    @Test
    void theSameChangeReplayedHasTheSameIdAndOtherChangesDoNot() {
        String id = ChangeEnvelope.of(change("u", 26_843_000L, null, row("Ada"))).id();
        assertThat(ChangeEnvelope.of(change("u", 26_843_000L, null, row("Ada"))).id()).isEqualTo(id);
        assertThat(id).startsWith("26843000:public.customers:update:");
        assertThat(ChangeEnvelope.of(change("u", 26_843_100L, null, row("Ada"))).id()).isNotEqualTo(id);
        assertThat(ChangeEnvelope.of(change("d", 26_843_000L, row(null), null)).id()).isNotEqualTo(id);
    }

    @Test
    void aRepeatedSnapshotOfAnUnchangedRowHasTheSameIdAtAnotherLsn() {
        String id = ChangeEnvelope.of(change("r", 100L, null, row("Ada"))).id();
        assertThat(id).startsWith("snapshot:public.customers:");
        assertThat(ChangeEnvelope.of(change("r", 900L, null, row("Ada"))).id()).isEqualTo(id);
        assertThat(ChangeEnvelope.of(change("r", 900L, null, row("Ada Lovelace"))).id()).isNotEqualTo(id);
    }

    @Test
    void snapshotReadsAndDeletesAreNamedAndHeartbeatsAreNotChanges() {
        assertThat(ChangeEnvelope.of(change("r", 1L, null, row("Ada"))).op()).isEqualTo("snapshot");
        assertThat(ChangeEnvelope.of(change("d", 2L, row(null), null)).op()).isEqualTo("delete");
        Schema heartbeat = SchemaBuilder.struct().name("io.debezium.connector.common.Heartbeat")
                .field("ts_ms", Schema.INT64_SCHEMA).build();
        assertThat(ChangeEnvelope.of(new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.crm", null, null,
                heartbeat, new Struct(heartbeat).put("ts_ms", 1L)))).isNull();
    }
    private static final Schema BINLOG_SOURCE = SchemaBuilder.struct()
            .field("db", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("file", Schema.STRING_SCHEMA).field("pos", Schema.INT64_SCHEMA).field("row", Schema.INT32_SCHEMA)
            .field("gtid", Schema.OPTIONAL_STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema BINLOG_ENVELOPE = SchemaBuilder.struct().name("shop.shop.customers.Envelope")
            .field("before", ROW).field("after", ROW).field("source", BINLOG_SOURCE)
            .field("op", Schema.STRING_SCHEMA).build();

    private static SourceRecord binlogChange(String file, long pos, int row) {
        Struct source = new Struct(BINLOG_SOURCE).put("db", "shop").put("table", "customers").put("file", file)
                .put("pos", pos).put("row", row).put("gtid", "0-1-16").put("ts_ms", 1_764_362_400_000L);
        Struct value = new Struct(BINLOG_ENVELOPE).put("op", "u").put("source", source).put("after", row("Ada"));
        return new SourceRecord(Map.of(), Map.of(), "shop.shop.customers", KEY, new Struct(KEY).put("id", 7L),
                BINLOG_ENVELOPE, value);
    }

    @Test
    void aMariaDbChangeIsNamedDatabaseDotTableAndPlacedByFilePosAndRow() throws Exception {
        CdcEvent event = ChangeEnvelope.of(binlogChange("mysql-bin.000003", 4295L, 1));
        assertThat(event.table()).isEqualTo("shop.customers");
        assertThat(event.id()).startsWith("mysql-bin.000003:4295:1:shop.customers:update:");
        JsonNode source = JSON.readTree(event.envelope()).get("source");
        assertThat(source.get("file").asText()).isEqualTo("mysql-bin.000003");
        assertThat(source.get("gtid").asText()).isEqualTo("0-1-16");
        assertThat(source.get("position").asLong()).isEqualTo(ChangeEnvelope.binlogPosition("mysql-bin.000003", 4295L, 1));
        assertThat(ChangeEnvelope.of(binlogChange("mysql-bin.000003", 4295L, 2)).id()).isNotEqualTo(event.id());
    }

    @Test
    void theBinlogPositionGrowsWithRowOffsetAndFile() {
        long first = ChangeEnvelope.binlogPosition("mysql-bin.000003", 4295L, 0);
        assertThat(ChangeEnvelope.binlogPosition("mysql-bin.000003", 4295L, 1)).isGreaterThan(first);
        assertThat(ChangeEnvelope.binlogPosition("mysql-bin.000003", 4400L, 0))
                .isGreaterThan(ChangeEnvelope.binlogPosition("mysql-bin.000003", 4295L, 2047));
        assertThat(ChangeEnvelope.binlogPosition("mysql-bin.000004", 4L, 0))
                .isGreaterThan(ChangeEnvelope.binlogPosition("mysql-bin.000003", (1L << 30), 2047));
        assertThat(ChangeEnvelope.binlogPosition("mysql-bin.999999", (1L << 32) - 1, 2047)).isPositive();
    }
}
