package io.hooksync.infra.sql;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Asks the engine's database once which dialect it speaks. */
@Configuration(proxyBeanMethods = false)
class SqlConfiguration {

    @Bean
    SqlDialect sqlDialect(DataSource dataSource) throws SQLException {
        return SqlDialect.of(dataSource);
    }
}
