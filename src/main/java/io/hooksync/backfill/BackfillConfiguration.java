package io.hooksync.backfill;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.sink.ReplaySink;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires Backfill: the replay store, the engine that runs replays in the background, and the API's service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BackfillProperties.class)
class BackfillConfiguration {

    @Bean
    ReplayStore replayStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        return new ReplayStore(jdbc, new TransactionTemplate(transactions));
    }

    @Bean
    ReplayEngine replayEngine(ReplayStore store, ReplaySink sink, DataSource dataSource, MeterRegistry registry,
                              BackfillProperties properties, ObjectMapper json, Clock clock) {
        String owner = host() + "-" + UUID.randomUUID().toString().substring(0, 8);
        ReplayRunner runner = new ReplayRunner(sink, store, dataSource, new BackfillMetrics(registry), properties,
                json, clock, owner);
        return new ReplayEngine(store, sink, runner, properties, clock, owner);
    }

    @Bean
    Replays replays(ReplaySink sink, ReplayStore store, ReplayEngine engine, Clock clock) {
        return new Replays(sink, store, engine, clock);
    }

    private static String host() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.length() > 60 ? name.substring(0, 60) : name;
        } catch (UnknownHostException e) {
            return "instance";
        }
    }
}
