package io.hooksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The shipped CDC example mapping against change envelopes (update with after, delete with key only). */
class CdcCustomersMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CompiledMapping mapping = Mappings.load(Path.of("mappings")).find("cdc/customers").orElseThrow().compile();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> envelope(String name) throws IOException {
        return JSON.readValue(Files.readAllBytes(Path.of("src/test/resources/fixtures/cdc/" + name)), Map.class);
    }

    @Test
    void anUpdateTakesItsColumnsFromAfterAndIsVersionedByTheLogPosition() throws Exception {
        CompiledMapping.Row row = mapping.apply(envelope("customers-update.json"), Map.of()).get(0);
        assertThat(row.values()[mapping.indexOf("id")]).isEqualTo(7L);
        assertThat(row.values()[mapping.indexOf("name")]).isEqualTo("Ada Lovelace");
        assertThat(row.values()[mapping.indexOf("updated_at")])
                .isEqualTo(OffsetDateTime.parse("2026-11-28T20:39:59.123456Z"));
        assertThat(row.values()[mapping.indexOf("source_position")]).isEqualTo(26843000L);
        assertThat(row.deleted()).isFalse();
    }

    @Test
    void aDeleteWithoutAfterIsATombstoneKeyedByTheChangeKey() throws Exception {
        CompiledMapping.Row row = mapping.apply(envelope("customers-delete.json"), Map.of()).get(0);
        assertThat(row.values()[mapping.indexOf("id")]).isEqualTo(7L);
        assertThat(row.values()[mapping.indexOf("name")]).isNull();
        assertThat(row.values()[mapping.indexOf("source_position")]).isEqualTo(26843520L);
        assertThat(row.deleted()).isTrue();
    }
}
