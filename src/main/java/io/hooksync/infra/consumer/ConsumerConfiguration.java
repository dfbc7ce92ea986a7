package io.hooksync.infra.consumer;

import java.time.Clock;

import io.hooksync.infra.sql.SqlDialect;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The consumer loops' shared parts: the set-aside table and its pruner, the loop factory, the {@code consumers} health. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsumerProperties.class)
class ConsumerConfiguration {

    @Bean
    SetAside setAside(JdbcTemplate jdbc, SqlDialect dialect, MeterRegistry registry, Clock clock) {
        return new SetAside(new JdbcSetAsideStore(jdbc, dialect), registry, clock);
    }

    @Bean
    ConsumerLoops consumerLoops(ConsumerProperties properties, SetAside setAside, Clock clock) {
        return new ConsumerLoops(properties, setAside, clock);
    }

    @Bean
    SetAsidePruner setAsidePruner(JdbcTemplate jdbc, ConsumerProperties properties, Clock clock) {
        return new SetAsidePruner(jdbc, properties.setAsideRetention(), clock);
    }

    /** Shown as {@code consumers} in /actuator/health. */
    @Bean
    ConsumersHealth consumersHealthIndicator(ConsumerLoops loops) {
        return new ConsumersHealth(loops);
    }
}
