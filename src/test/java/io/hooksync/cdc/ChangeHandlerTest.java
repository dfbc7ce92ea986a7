package io.hooksync.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.Function;

import io.hooksync.infra.consumer.SetAside;
import io.hooksync.infra.consumer.SetAsideRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * CDC publishing's set-aside policy: a change Kafka refuses for itself, or one that cannot be converted,
 * is set aside and the batch goes on (so Debezium may acknowledge it); Kafka unreachable, or the
 * set-aside table unreachable, fails the batch so nothing is acknowledged.
 */
class ChangeHandlerTest {

    private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().optional().field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema SOURCE = SchemaBuilder.struct().field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("before", ROW).field("after", ROW)
            .field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();
    private static final Schema NO_SOURCE = SchemaBuilder.struct().field("after", ROW).field("op", Schema.STRING_SCHEMA)
            .build();
    private static final CdcSource CRM = new CdcSource(CdcSource.Kind.POSTGRESQL, "crm", "hooksync.events.crm",
            "jdbc:postgresql://127.0.0.1:5432/crm", "127.0.0.1", 5432, "crm", "postgres", "", List.of("public.customers"),
            true, "initial", Duration.ofSeconds(10), 1);

    private final List<SetAsideRecord> setAside = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Counter changes = meters.counter("hooksync.cdc.changes");

    private static SourceRecord change(long id, String name) {
        Struct source = new Struct(SOURCE).put("schema", "public").put("table", "customers").put("lsn", 1000 + id);
        Struct value = new Struct(ENVELOPE).put("op", "c").put("source", source)
                .put("after", new Struct(ROW).put("id", id).put("name", name));
        return new SourceRecord(Map.of(), Map.of("lsn", 1000 + id), "crm.public.customers", KEY,
                new Struct(KEY).put("id", id), ENVELOPE, value);
    }

    /** A producer that answers each record with {@code answer} (null: acknowledged). */
    private static MockProducer<byte[], byte[]> producer(Function<ProducerRecord<byte[], byte[]>, Exception> answer) {
        return new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                Exception refusal = answer.apply(record);
                return refusal == null ? super.send(record, callback) : CompletableFuture.failedFuture(refusal);
            }
        };
    }

    private ChangeHandler handler(MockProducer<byte[], byte[]> producer, boolean storeWorks) {
        SetAside aside = new SetAside(record -> {
            if (!storeWorks) {
                throw new org.springframework.jdbc.CannotGetJdbcConnectionException("database down");
            }
            return setAside.add(record);
        }, meters, Clock.systemUTC());
        return new ChangeHandler(CRM, new ChangePublisher(producer), aside, changes);
    }

    private static Exception tooLarge(ProducerRecord<byte[], byte[]> record) {
        return new String(record.value()).contains("huge") ? new RecordTooLargeException("2 MB > max.request.size") : null;
    }

    @Test
    void aChangeKafkaRefusesAsTooLargeIsSetAsideAndTheOthersArePublished() {
        MockProducer<byte[], byte[]> producer = producer(ChangeHandlerTest::tooLarge);

        handler(producer, true).handle(List.of(change(1, "Ada"), change(2, "huge"), change(3, "Grace")));

        assertThat(producer.history()).extracting(r -> new String(r.value())).hasSize(2)
                .anySatisfy(v -> assertThat(v).contains("Ada")).anySatisfy(v -> assertThat(v).contains("Grace"));
        assertThat(setAside).singleElement().satisfies(r -> {
            assertThat(r.consumer()).isEqualTo("cdc-crm");
            assertThat(r.where()).isEqualTo("crm.public.customers@{lsn=1002}");
            assertThat(r.key()).isEqualTo("{\"id\":2}");
            assertThat(r.error()).contains("RecordTooLargeException");
        });
        assertThat(changes.count()).isEqualTo(2.0);
        assertThat(meters.counter("hooksync.consumer.set.aside", "consumer", "cdc-crm").count()).isEqualTo(1.0);
    }

    @Test
    void aChangeThatCannotBeConvertedIsSetAside() {
        MockProducer<byte[], byte[]> producer = producer(record -> null);
        Struct broken = new Struct(NO_SOURCE).put("op", "c").put("after", new Struct(ROW).put("id", 9L));
        SourceRecord unconvertible = new SourceRecord(Map.of(), Map.of("lsn", 5L), "crm.public.customers", KEY,
                new Struct(KEY).put("id", 9L), NO_SOURCE, broken);

        handler(producer, true).handle(List.of(unconvertible, change(1, "Ada")));

        assertThat(producer.history()).hasSize(1);
        assertThat(setAside).singleElement().satisfies(r -> assertThat(r.where()).isEqualTo("crm.public.customers@{lsn=5}"));
    }

    @Test
    void kafkaUnavailableFailsTheBatchAndSetsNothingAside() {
        MockProducer<byte[], byte[]> producer = producer(record -> new NotEnoughReplicasException("1 of 3 in sync"));

        assertThatThrownBy(() -> handler(producer, true).handle(List.of(change(1, "Ada"))))
                .hasMessageContaining("Kafka did not take a change of CDC source crm");
        assertThat(setAside).isEmpty();
        assertThat(changes.count()).isZero();
    }

    @Test
    void aSetAsideThatCannotBeStoredFailsTheBatch() {
        MockProducer<byte[], byte[]> producer = producer(ChangeHandlerTest::tooLarge);

        assertThatThrownBy(() -> handler(producer, false).handle(List.of(change(2, "huge"))))
                .hasMessageContaining("database down");
        assertThat(meters.counter("hooksync.consumer.set.aside", "consumer", "cdc-crm").count()).isZero();
    }
}
