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
}
