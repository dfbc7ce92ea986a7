package io.hooksync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.hooksync.HooksyncApplication;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The engine refuses to start half-configured, and says which file, line or variable is wrong. */
class StartupValidationIT {

    private static Throwable start(Path data, String... extra) {
        String[] base = {
                "--hooksync.data-dir=" + data, "--hooksync.kafka.embedded.port=0",
                "--hooksync.kafka.embedded.controller-port=0", "--hooksync.database.embedded.port=0",
                "--server.port=0", "--hooksync.routes-reload=false", "--spring.main.banner-mode=off"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        SpringApplication app = new SpringApplicationBuilder(HooksyncApplication.class).build();
        Throwable failure = catchThrowable(() -> app.run(args).close());
        assertThat(failure).as("the engine must not start").isNotNull();
        return failure;
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void aMissingSecretNamesTheVariable() {
        Path data = TestData.directory("startup-secret");
        Throwable failure = start(data, "--STRIPE_WEBHOOK_SECRET=whsec_x", "--hooksync.routes-dir=src/test/resources/routes-none");
        assertThat(messages(failure)).contains("source 'github'").contains("GITHUB_WEBHOOK_SECRET is not set");
    }

    @Test
    void aBrokenMappingNamesFileAndLine() throws IOException {
        Path data = TestData.directory("startup-mapping");
        Path mappings = Files.createDirectories(data.resolve("mappings"));
        Files.copy(Path.of("src/test/resources/fixtures/mapping/broken.yaml"), mappings.resolve("broken.yaml"));
        Throwable failure = start(data, "--GITHUB_WEBHOOK_SECRET=x", "--STRIPE_WEBHOOK_SECRET=whsec_x",
                "--hooksync.routes-dir=src/test/resources/routes-none", "--hooksync.mappings-dir=" + mappings);
        assertThat(messages(failure)).contains("mappings/broken.yaml:2: key column 'missing' is not in columns")
                .contains("mappings/broken.yaml:8: column size: unknown type 'huge'");
    }

    @Test
    void aRouteNamingAnUnknownMappingNamesTheMappingAndTheFile() throws IOException {
        Path data = TestData.directory("startup-route");
        Path routes = Files.createDirectories(data.resolve("routes"));
        Files.writeString(routes.resolve("typo.yaml"), """
                - route:
                    id: typo
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: issues }
                      steps:
                        - to: hooksync:upsert?mapping=github/issuez
                """);
        Throwable failure = start(data, "--GITHUB_WEBHOOK_SECRET=x", "--STRIPE_WEBHOOK_SECRET=whsec_x",
                "--hooksync.routes-dir=" + routes);
        assertThat(messages(failure)).contains("routes/typo.yaml:7: mapping 'github/issuez' does not exist");
    }

    @Test
    void aRouteFileThatIsNotYamlNamesTheFileAndLine() throws IOException {
        Path data = TestData.directory("startup-yaml");
        Path routes = Files.createDirectories(data.resolve("routes"));
        Files.writeString(routes.resolve("broken.yaml"), "- route:\n    id: broken\n    from: [unclosed\n");
        Throwable failure = start(data, "--GITHUB_WEBHOOK_SECRET=x", "--STRIPE_WEBHOOK_SECRET=whsec_x",
                "--hooksync.routes-dir=" + routes);
        assertThat(messages(failure)).contains("broken.yaml").containsPattern("line \\d+|:\\d+");
    }

    @Test
    void missingDuplicateAndReservedRouteIdsNameFileAndLine() throws IOException {
        Path data = TestData.directory("startup-identity");
        Path routes = Files.createDirectories(data.resolve("routes"));
        String body = """
                    from:
                      uri: "hooksync:events?source=github&types=issues%s"
                      steps:
                        - to: hooksync:upsert?mapping=github/issues
                """;
        Files.writeString(routes.resolve("unnamed.yaml"), "- route:\n" + body.formatted(""));
        Files.writeString(routes.resolve("ingress.yaml"), "- route:\n    id: ingress\n" + body.formatted(""));
        Files.writeString(routes.resolve("one.yaml"), "- route:\n    id: one\n" + body.formatted("&continues=old"));
        Files.writeString(routes.resolve("two.yaml"), "- route:\n    id: two\n" + body.formatted("&continues=old"));
        Throwable failure = start(data, "--GITHUB_WEBHOOK_SECRET=x", "--STRIPE_WEBHOOK_SECRET=whsec_x",
                "--hooksync.routes-dir=" + routes);
        assertThat(messages(failure))
                .contains("routes/unnamed.yaml:1: the route has no id: add 'id: unnamed'")
                .contains("routes/ingress.yaml:2: route id 'ingress' is reserved")
                .contains("routes/one.yaml:2: route identity 'old' (consumer group hooksync.old) is also used by "
                        + "routes/two.yaml:2")
                .contains("routes/two.yaml:2: route identity 'old' (consumer group hooksync.old) is also used by "
                        + "routes/one.yaml:2");
    }

    @Test
    void aRouteWithAnEventTypeOutsideThePatternLanguageNamesFileAndLine() throws IOException {
        Path data = TestData.directory("startup-types");
        Path routes = Files.createDirectories(data.resolve("routes"));
        Files.writeString(routes.resolve("types.yaml"), """
                - route:
                    id: types
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: "issues, issue.*.x" }
                      steps:
                        - to: hooksync:upsert?mapping=github/issues
                """);
        Throwable failure = start(data, "--GITHUB_WEBHOOK_SECRET=x", "--STRIPE_WEBHOOK_SECRET=whsec_x",
                "--hooksync.routes-dir=" + routes);
        assertThat(messages(failure)).contains("routes/types.yaml:5: types: 'issue.*.x' is not an event type");
    }

    @Test
    void everyProblemOfMappingsAndRoutesIsInOneReport() throws IOException {
        Path data = TestData.directory("startup-all");
        Path mappings = Files.createDirectories(data.resolve("mappings"));
        Files.writeString(mappings.resolve("tickets.yaml"), """
                table: tickets
                key: [missing]
                columns:
                  id: { expr: ticket.id, type: text }
                """);
        Path routes = Files.createDirectories(data.resolve("routes"));
        String route = """
                - route:
                    id: %s
                    from:
                      uri: hooksync:events
                      parameters: { source: %s, types: "%s" }
                      steps:
                        - %s
                        - to: hooksync:upsert?mapping=%s
                """;
        Files.writeString(routes.resolve("types.yaml"), route.formatted("types", "github", "issue.*.x", "to: log:x", "tickets"));
        Files.writeString(routes.resolve("typo.yaml"), route.formatted("typo", "github", "issues", "to: log:x", "tickes"));
        Files.writeString(routes.resolve("gitlab.yaml"), route.formatted("gitlab", "gitlab", "issues", "to: log:x", "tickets"));
        Files.writeString(routes.resolve("step.yaml"), route.formatted("step", "github", "issues", "tooo: log:x", "tickets"));
        Throwable failure = start(data, "--GITHUB_WEBHOOK_SECRET=x", "--STRIPE_WEBHOOK_SECRET=whsec_x",
                "--hooksync.routes-dir=" + routes, "--hooksync.mappings-dir=" + mappings);
        assertThat(messages(failure))
                .contains("mappings/tickets.yaml:2: key column 'missing' is not in columns")
                .contains("routes/types.yaml:5: types: 'issue.*.x' is not an event type")
                .contains("routes/typo.yaml:8: mapping 'tickes' does not exist")
                .contains("routes/gitlab.yaml:5: source 'gitlab' is not configured (configured: crm, github, stripe)")
                .contains("routes/step.yaml:7: Camel cannot read the route: Unknown node id: tooo");
    }
}
