package io.hooksync.timeline;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.consumer.ConsumerLoops;
import io.hooksync.infra.consumer.RecordLookup;
import io.hooksync.infra.sql.SqlDialect;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the event timeline; {@code hooksync.timeline.enabled=false} leaves the recorder and pruner out. */
@Configuration(proxyBeanMethods = false)
class TimelineConfiguration {

    @Bean
    RecordLookup timelineRecordLookup(KafkaBackbone backbone) {
        return new RecordLookup(backbone);
    }

    @Bean
    TimelineQueries timelineQueries(JdbcTemplate jdbc, ObjectMapper json, RecordLookup timelineRecordLookup,
                                    TimelineProperties properties) {
        EventBodies bodies = new EventBodies(timelineRecordLookup::find, properties.topicPrefix(),
                Math.toIntExact(properties.maxBody().toBytes()));
        return new TimelineQueries(jdbc, json, bodies);
    }

    @Bean
    EventStream eventStream(TimelineQueries queries) {
        return new EventStream(queries);
    }

    @Bean
    @ConditionalOnProperty(name = "hooksync.timeline.enabled", matchIfMissing = true)
    TimelineRecorder timelineRecorder(KafkaBackbone backbone, JdbcTemplate jdbc, SqlDialect dialect,
                                      TimelineProperties properties, ConsumerLoops loops, ObjectMapper json) {
        return new TimelineRecorder(backbone, new TimelineStore(jdbc, dialect, json), properties, loops);
    }

    @Bean
    @ConditionalOnProperty(name = "hooksync.timeline.enabled", matchIfMissing = true)
    TimelinePruner timelinePruner(JdbcTemplate jdbc, TimelineProperties properties, Clock clock) {
        return new TimelinePruner(jdbc, properties, clock);
    }
}
