package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.hooksync.support.Await;
import io.hooksync.support.TestData;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** In embedded mode a route file added or edited while the engine runs is loaded without a restart. */
@SpringBootTest(properties = {"GITHUB_WEBHOOK_SECRET=reload", "STRIPE_WEBHOOK_SECRET=whsec_reload"})
class RouteReloadIT {

    private static final Path DATA = TestData.directory("reload");
    private static final Path ROUTES = DATA.resolve("routes");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(ROUTES);
        Files.writeString(ROUTES.resolve("issues.yaml"), route("issues", "issues"));
        TestData.embedded(registry, DATA.resolve("data"));
        registry.add("hooksync.routes-dir", ROUTES::toString);
        registry.add("hooksync.routes-reload", () -> "true");
    }

    private static String route(String id, String types) {
        return """
                - route:
                    id: %s
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: %s }
                      steps:
                        - to: hooksync:upsert?mapping=github/issues
                """.formatted(id, types);
    }

    @Autowired
    CamelContext camel;

    @Test
    void aNewRouteFileStartsWhileTheEngineRuns() throws IOException {
        assertThat(camel.getRouteController().getRouteStatus("issues")).isEqualTo(ServiceStatus.Started);
        Files.writeString(ROUTES.resolve("more-issues.yaml"), route("more-issues", "issues"));
        Await.until(Duration.ofSeconds(30), () -> camel.getRouteController().getRouteStatus("more-issues"),
                status -> status == ServiceStatus.Started);
    }
}
