package io.hooksync.sink;

import javax.sql.DataSource;

import io.hooksync.infra.sql.SqlDialect;
import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Exposes {@link ReplaySink}, the sink's seam for Backfill. */
@Configuration(proxyBeanMethods = false)
class ReplaySinkConfiguration {

    @Bean
    ReplaySink replaySink(SinkRuntime runtime, CamelContext camel, DataSource dataSource, SqlDialect dialect) {
        return new ReplaySink(runtime, camel, dataSource, dialect);
    }
}
