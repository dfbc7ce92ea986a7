package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.hooksync.mapping.Mappings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/** Checks of the route files (route identity, a hooksync:events batchSize): each problem names the file and the line. */
class RouteIdentityCheckTest {

    private static final Mappings MAPPINGS = Mappings.load(Path.of("mappings").toAbsolutePath().normalize());
    /** The sources application.yaml declares (crm is the CDC example, off by default). */
    private static final ConfiguredSources SOURCES = new ConfiguredSources(Set.of("github", "stripe", "crm"), key -> null);

    @TempDir
    Path dir;

    private Path routes() throws IOException {
        return Files.createDirectories(dir.resolve("routes"));
    }

    private static String route(String id, String uri) {
        String idLine = id == null ? "" : "    id: " + id + "\n";
        return "# a route\n- route:\n" + idLine + "    from:\n      uri: \"" + uri + "\"\n      steps:\n"
                + "        - to: hooksync:upsert?mapping=github/issues\n";
    }

    @Test
    void everyShippedRouteFilePasses() throws IOException {
        assertThat(RouteFilesCheck.problems(Path.of("routes"), MAPPINGS, SOURCES)).isEmpty();
        Path routes = routes();
        try (Stream<Path> examples = Files.list(Path.of("examples/routes"))) {
            for (Path file : examples.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        // the examples' own mappings ship in examples/mappings/ and are copied with them
        Path mappings = dir.resolve("mappings");
        FileSystemUtils.copyRecursively(Path.of("mappings"), mappings);
        FileSystemUtils.copyRecursively(Path.of("examples/mappings"), mappings);
        assertThat(RouteFilesCheck.problems(routes, Mappings.load(mappings.toAbsolutePath().normalize()),
                SOURCES)).isEmpty();
    }

    @Test
    void aMissingIdIsReportedAtTheRoute() throws IOException {
        Files.writeString(routes().resolve("issues.yaml"), route(null, "hooksync:events?source=github"));
        assertThat(RouteFilesCheck.problems(routes(), MAPPINGS, SOURCES))
                .containsExactly("routes/issues.yaml:2: the route has no id: add 'id: issues' (a route's id is its file "
                        + "name; it names the route's consumer group and ledger, a generated id would move)");
    }

    @Test
    void aBareFromWithoutRouteHasNoId() throws IOException {
        Files.writeString(routes().resolve("bare.yaml"), "- from:\n    uri: hooksync:events?source=github\n    steps:\n"
                + "      - to: hooksync:upsert?mapping=github/issues\n");
        assertThat(RouteFilesCheck.problems(routes(), MAPPINGS, SOURCES)).singleElement().asString()
                .startsWith("routes/bare.yaml:1: the route has no id: add 'id: bare'");
    }

    @Test
    void anIdThatIsNotTheFileNameIsReportedAtTheId() throws IOException {
        Files.writeString(routes().resolve("issues.yaml"), route("github-issues", "hooksync:events?source=github"));
        assertThat(RouteFilesCheck.problems(routes(), MAPPINGS, SOURCES)).singleElement().asString()
                .startsWith("routes/issues.yaml:3: route id 'github-issues' must be the file name 'issues'");
    }

    @Test
    void twoRoutesWithOneIdentityAreReportedInBothFiles() throws IOException {
        Files.writeString(routes().resolve("a.yaml"), route("a", "hooksync:events?source=github&continues=old"));
        Files.writeString(routes().resolve("b.yaml"), route("b", "hooksync:events?source=github&continues=old"));
        assertThat(RouteFilesCheck.problems(routes(), MAPPINGS, SOURCES)).containsExactly(
                "routes/a.yaml:3: route identity 'old' (consumer group hooksync.old) is also used by routes/b.yaml:3; "
                        + "each route needs its own",
                "routes/b.yaml:3: route identity 'old' (consumer group hooksync.old) is also used by routes/a.yaml:3; "
                        + "each route needs its own");
    }

    @Test
    void twoRoutesInOneFileShareTheId() throws IOException {
        String one = route("two", "hooksync:events?source=github");
        Files.writeString(routes().resolve("two.yaml"), one + one.substring(one.indexOf("- route:")));
        List<String> problems = RouteFilesCheck.problems(routes(), MAPPINGS, SOURCES);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("routes/two.yaml:3: route identity 'two'")
                .contains("also used by routes/two.yaml:9"));
    }

    @Test
    void reservedAndMalformedNamesAreRefused() throws IOException {
        Files.writeString(routes().resolve("ingress.yaml"), route("ingress", "hooksync:events?source=github"));
        Files.writeString(routes().resolve("timeline.yaml"), route("timeline", "hooksync:events?source=github"));
        Files.writeString(routes().resolve("Issues.yaml"), route("Issues", "hooksync:events?source=github"));
        List<String> problems = RouteFilesCheck.problems(routes(), MAPPINGS, SOURCES);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("routes/ingress.yaml:3: route id 'ingress' is "
                + "reserved: 'ingress' is the id of Hooksync's own ingress route"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("routes/timeline.yaml:3: route id 'timeline' is "
                + "reserved").contains("consumer group hooksync.timeline"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("routes/Issues.yaml:3: route id 'Issues' is not "
                + "a valid route name"));
    }

    @Test
    void continuesMustNameARemovedRouteAndAValidName() throws IOException {
        Path routes = routes();
        Files.writeString(routes.resolve("old.yaml"), route("old", "hooksync:events?source=github"));
        Files.writeString(routes.resolve("new.yaml"), """
                - route:
                    id: new
                    from:
                      uri: hooksync:events
                      parameters: { source: github, continues: old, start: yesterday }
                      steps:
                        - to: hooksync:ack
                """);
        Files.writeString(routes.resolve("other.yaml"), route("other", "hooksync:events?source=github&continues=delivery"));
        List<String> problems = RouteFilesCheck.problems(routes, MAPPINGS, SOURCES);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("routes/new.yaml:5: continues=old names a route "
                + "that still exists (routes/old.yaml:3)"));
        assertThat(problems).anySatisfy(p -> assertThat(p).isEqualTo("routes/new.yaml:5: start=yesterday is not 'now', "
                + "'beginning' or an instant such as 2026-11-01T00:00:00Z"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("routes/other.yaml:5: continues='delivery' is "
                + "reserved"));
        assertThat(RouteFilesCheck.problemsOf(routes, MAPPINGS, SOURCES, routes.resolve("old.yaml")))
                .allSatisfy(p -> assertThat(p).startsWith("routes/old.yaml:"));
    }

    @Test
    void aRenamedRouteThatContinuesARemovedOnePasses() throws IOException {
        Files.writeString(routes().resolve("renamed.yaml"),
                route("renamed", "hooksync:events?source=github&continues=github-issues&start=beginning"));
        assertThat(RouteFilesCheck.problems(routes(), MAPPINGS, SOURCES)).isEmpty();
    }

    @Test
    void aBatchSizeOutsideTheSinksBoundsIsReportedAtItsLine() throws IOException {
        Files.writeString(routes().resolve("issues.yaml"), route("issues", "hooksync:events?source=github&batchSize=0"));
        Files.writeString(routes().resolve("pulls.yaml"), "- route:\n    id: pulls\n    from:\n"
                + "      uri: hooksync:events\n      parameters: { source: github, batchSize: many }\n      steps:\n"
                + "        - to: hooksync:upsert?mapping=github/issues\n");
        Files.writeString(routes().resolve("fine.yaml"), route("fine", "hooksync:events?source=github&batchSize=5000"));
        Files.writeString(routes().resolve("placeholder.yaml"), route("placeholder",
                "hooksync:events?source=github&batchSize={{env:ISSUES_BATCH:500}}"));
        assertThat(RouteFilesCheck.problems(routes(), MAPPINGS, SOURCES)).containsExactly(
                "routes/issues.yaml:5: hooksync:events?source=github&batchSize=0: batchSize must be between 1 and 5000"
                        + " (was 0)",
                "routes/pulls.yaml:5: hooksync:events: batchSize must be a number (was 'many')");
    }

    @Test
    void aSourceThatIsNotConfiguredIsReportedAtItsLineUnlessTheRouteDoesNotStart() throws IOException {
        Path routes = routes();
        Files.writeString(routes.resolve("gitlab.yaml"), """
                - route:
                    id: gitlab
                    from:
                      uri: hooksync:events
                      parameters: { source: gitlab, types: "issues" }
                      steps:
                        - to: hooksync:upsert?mapping=github/issues
                """);
        Files.writeString(routes.resolve("typo.yaml"), route("typo", "hooksync:events?source=githb&types=issues"));
        Files.writeString(routes.resolve("cdc.yaml"), route("cdc", "hooksync:events?source=crm")); // declared, off
        Files.writeString(routes.resolve("off.yaml"), route("off", "hooksync:events?source=shop")
                .replace("    id: off\n", "    id: off\n    autoStartup: false\n"));
        Files.writeString(routes.resolve("until.yaml"), route("until", "hooksync:events?source=shop")
                .replace("    id: until\n", "    id: until\n    autoStartup: \"{{hooksync.cdc.sources.shop.enabled:false}}\"\n"));
        Files.writeString(routes.resolve("placeholder.yaml"), route("placeholder", "hooksync:events?source={{src}}"));
        String configured = "(configured: crm, github, stripe)";
        assertThat(RouteFilesCheck.problems(routes, MAPPINGS, SOURCES)).containsExactly(
                "routes/gitlab.yaml:5: source 'gitlab' is not configured " + configured + "; declare it under "
                        + "hooksync.sources.gitlab (webhooks) or hooksync.cdc.sources.gitlab (CDC), or fix the name",
                "routes/typo.yaml:5: source 'githb' is not configured " + configured + "; declare it under "
                        + "hooksync.sources.githb (webhooks) or hooksync.cdc.sources.githb (CDC), or fix the name");
        // the placeholder switched on: the route starts, so its source must exist
        ConfiguredSources switchedOn = new ConfiguredSources(SOURCES.names(),
                key -> key.equals("hooksync.cdc.sources.shop.enabled") ? "true" : null);
        assertThat(RouteFilesCheck.problemsOf(routes, MAPPINGS, switchedOn, routes.resolve("until.yaml")))
                .singleElement().asString().startsWith("routes/until.yaml:6: source 'shop' is not configured");
    }
}
