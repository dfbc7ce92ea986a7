package io.hooksync.dashboard;

import io.hooksync.infra.RouteIdentities;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the dashboard's read models; the pages themselves are static resources. */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

    @Bean
    Analytics dashboardAnalytics(JdbcTemplate jdbc, MeterRegistry registry) {
        return new Analytics(jdbc, registry);
    }

    @Bean
    RoutesOverview routesOverview(CamelContext camel, JdbcTemplate jdbc, RouteIdentities identities, Admin admin) {
        return new RoutesOverview(camel, jdbc, identities, new ConsumerLag(admin));
    }

    @Bean
    SetAsideList setAsideList(JdbcTemplate jdbc) {
        return new SetAsideList(jdbc);
    }
}
