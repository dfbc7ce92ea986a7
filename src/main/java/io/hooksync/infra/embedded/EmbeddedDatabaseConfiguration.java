package io.hooksync.infra.embedded;

import com.zaxxer.hikari.HikariDataSource;
import io.hooksync.infra.InfraProperties;
import java.io.IOException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts the embedded PostgreSQL and its pooled DataSource unless {@code spring.datasource.url} is set, in
 * which case Spring Boot's own DataSource auto-configuration connects to the external database.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDatasourceUrl.class)
@EnableConfigurationProperties(InfraProperties.class)
class EmbeddedDatabaseConfiguration {

    /** Closed after the DataSource (which depends on it) on context shutdown. */
    @Bean
    EmbeddedPostgresServer embeddedPostgres(InfraProperties properties) throws IOException {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(properties.dataPath(),
                properties.database().embedded().port()).start();
        server.lowerPriority(properties.backgroundNice());
        return server;
    }

    /** HikariCP pool on the embedded server; {@code spring.datasource.hikari.*} still applies. */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.jdbcUrl());
        dataSource.setUsername(EmbeddedPostgresServer.USER);
        dataSource.setPassword(postgres.password());   // CDC of the engine's own database logs in with it too
        dataSource.setDriverClassName("org.postgresql.Driver");
        dataSource.setPoolName("hooksync-embedded-postgres");
        return dataSource;
    }

    /** Matches when no external datasource URL is configured. */
    static class NoDatasourceUrl implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
