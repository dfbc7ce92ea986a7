package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The documented environment names reach their keys; unset ones leave the record defaults alone. */
class EnvironmentAliasesTest {

    private static StandardEnvironment environment(Map<String, Object> variables, Map<String, Object> arguments) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", arguments));
        new EnvironmentAliases().postProcessEnvironment(environment, null);
        return environment;
    }

    @Test
    void shortNamesSetTheirKeysAndArgumentsStillWin() {
        StandardEnvironment env = environment(Map.of("HOOKSYNC_REQUIRE_HTTPS", "true",
                "HOOKSYNC_ALLOWED_NETWORKS", "127.0.0.1/32,10.0.0.0/8", "HOOKSYNC_CLIENT_RATE_LIMIT", "50"),
                Map.of("hooksync.ingress.client-rate-limit.requests", "7"));
        assertThat(env.getProperty("hooksync.outbound.require-https")).isEqualTo("true");
        assertThat(env.getProperty("hooksync.outbound.allowed-networks")).isEqualTo("127.0.0.1/32,10.0.0.0/8");
        assertThat(env.getProperty("hooksync.ingress.client-rate-limit.requests")).isEqualTo("7");
    }

    @Test
    void unsetNamesAddNothingSoRecordDefaultsHold() {
        StandardEnvironment env = environment(Map.of(), Map.of());
        assertThat(env.getPropertySources().contains(EnvironmentAliases.SOURCE_NAME)).isFalse();
        InfraProperties infra = Binder.get(env).bindOrCreate("hooksync", InfraProperties.class);
        assertThat(infra.mode()).isEqualTo(RuntimeMode.EMBEDDED);
        assertThat(infra.dataDir()).isEqualTo("./data");
    }

    @Test
    void springBootMapsTheOtherDocumentedNamesItself() {
        StandardEnvironment env = environment(Map.of("HOOKSYNC_DATA_DIR", "/var/lib/hooksync",
                "HOOKSYNC_MODE", "production"), Map.of());
        ConfigurationPropertySources.attach(env);
        InfraProperties infra = Binder.get(env).bindOrCreate("hooksync", InfraProperties.class);
        assertThat(infra.dataDir()).isEqualTo("/var/lib/hooksync");
        assertThat(infra.production()).isTrue();
    }
}
