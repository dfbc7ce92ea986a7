package io.hooksync.infra;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The short environment variable names the README and docker compose document for keys whose own variable name
 * would be long ({@code HOOKSYNC_REQUIRE_HTTPS} for {@code hooksync.outbound.require-https}). Spring Boot already
 * maps {@code HOOKSYNC_DATA_DIR} to {@code hooksync.data-dir} and the like; these are the ones it cannot. A set
 * variable becomes its key just below the environment (so command-line arguments still win); an unset one adds
 * nothing, so the key keeps its default, written once in its {@code @ConfigurationProperties} record. Before this,
 * application.yaml mapped them with {@code ${NAME:default}} placeholders, a second copy of each default.
 */
public class EnvironmentAliases implements EnvironmentPostProcessor {

    static final Map<String, String> ALIASES = Map.of(
            "HOOKSYNC_REQUIRE_HTTPS", "hooksync.outbound.require-https",
            "HOOKSYNC_ALLOWED_NETWORKS", "hooksync.outbound.allowed-networks",
            "HOOKSYNC_ALLOWED_PORTS", "hooksync.outbound.allowed-ports",
            "HOOKSYNC_ENCRYPTION_KEYS", "hooksync.outbound.encryption-keys",
            "HOOKSYNC_ADMIN_PASSWORD", "hooksync.management.admin-password",
            "HOOKSYNC_CLIENT_RATE_LIMIT", "hooksync.ingress.client-rate-limit.requests");
    static final String SOURCE_NAME = "hooksyncEnvironmentAliases";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> values = new LinkedHashMap<>();
        ALIASES.forEach((variable, key) -> {
            String value = environment.getProperty(variable);
            if (value != null) {
                values.put(key, value);
            }
        });
        if (values.isEmpty()) {
            return;
        }
        MapPropertySource aliases = new MapPropertySource(SOURCE_NAME, values);
        String env = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
        if (environment.getPropertySources().contains(env)) {
            environment.getPropertySources().addAfter(env, aliases);
        } else {
            environment.getPropertySources().addLast(aliases);
        }
    }
}
