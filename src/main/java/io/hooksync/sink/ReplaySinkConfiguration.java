package io.hooksync.sink;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Exposes {@link ReplaySink}, the sink's seam for Backfill. */
@Configuration(proxyBeanMethods = false)
class ReplaySinkConfiguration {

    @Bean
    ReplaySink replaySink(SinkRuntime runtime, CamelContext camel, DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return new ReplaySink(runtime, camel, dataSource,
                    SqlDialect.of(connection.getMetaData().getDatabaseProductName()));
        }
    }
}
