package io.hooksync.cdc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** The {@code hooksync.cdc.*} settings: where Debezium keeps its offsets and one entry per CDC source. */
@ConfigurationProperties(prefix = "hooksync.cdc")
record CdcProperties(
        @DefaultValue("hooksync.cdc.offsets") String offsetTopic,
        @DefaultValue("1s") Duration offsetFlushInterval,
        Map<String, SourceProperties> sources) {

    CdcProperties {
        if (offsetTopic == null || offsetTopic.isBlank()) {
            throw new IllegalArgumentException("hooksync.cdc.offset-topic must not be blank");
        }
        if (offsetFlushInterval == null || offsetFlushInterval.isNegative() || offsetFlushInterval.isZero()) {
            throw new IllegalArgumentException("hooksync.cdc.offset-flush-interval must be positive");
        }
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }

    /**
     * One database whose changes become events. An empty {@code url} means the engine's own database
     * (embedded mode); the password is a reference ({@code env:NAME} or {@code file:/path}), never a literal.
     */
    record SourceProperties(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("postgresql") String kind,
            @DefaultValue("") String url,
            @DefaultValue("") String user,
            @DefaultValue("") String password,
            @DefaultValue List<String> tables,
            @DefaultValue("true") boolean publicationAutocreate,
            @DefaultValue("initial") String snapshot,
            @DefaultValue("10s") Duration heartbeat,
            @DefaultValue("256MB") DataSize maxLag) {
    }
}
