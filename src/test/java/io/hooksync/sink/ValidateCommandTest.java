package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/** The offline check users run in their CI: exit status 0/1 and file:line messages, no Kafka, no database. */
class ValidateCommandTest {

    @TempDir
    Path dir;

    private record Result(int status, String output) {
    }

    private static Result validate(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = ValidateCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Result(status, bytes.toString(StandardCharsets.UTF_8));
    }

    /** routes/ and examples/routes/ together, and mappings/ with examples/mappings/, copied so they can be broken. */
    private Path[] copyShipped() throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path mappings = dir.resolve("mappings");
        try (Stream<Path> shipped = Stream.concat(Files.list(Path.of("routes")), Files.list(Path.of("examples/routes")))) {
            for (Path file : shipped.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        FileSystemUtils.copyRecursively(Path.of("mappings"), mappings);
        FileSystemUtils.copyRecursively(Path.of("examples/mappings"), mappings);
        return new Path[] {routes, mappings};
    }

    @Test
    void everyShippedFilePasses() throws IOException {
        Result shipped = validate();
        assertThat(shipped.status()).as(shipped.output()).isZero();
        assertThat(shipped.output()).startsWith("OK: 7 route file(s) in routes, 7 mapping(s) in mappings");
        Path[] copies = copyShipped();
        Result withExamples = validate("--routes", copies[0].toString(), "--mappings=" + copies[1]);
        assertThat(withExamples.status()).as(withExamples.output()).isZero();
    }

    /** A mistyped directory in a CI step fails the step: it used to pass as "OK: 0 route file(s)". */
    @Test
    void aDirectoryThatDoesNotExistIsAProblem() {
        Result result = validate("--routes", dir.resolve("nope").toString(), "--mappings", dir.resolve("nada").toString());
        assertThat(result.status()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("nope: the routes directory does not exist")
                .contains("nada: the mappings directory does not exist").doesNotContain("mapping '");
    }

    @Test
    void brokenCopiesFailWithFileAndLine() throws IOException {
        Path[] copies = copyShipped();
        Path issues = copies[0].resolve("github-issues.yaml");
        Files.writeString(issues, Files.readString(issues).replace("id: github-issues", "id: issues"));
        Path commits = copies[0].resolve("github-commits.yaml");
        Files.writeString(commits, Files.readString(commits).replace("steps:", "stepz:"));
        Path mapping = copies[1].resolve("github/pull_requests.yaml");
        Files.writeString(mapping, Files.readString(mapping).replace("type: bigint", "type: huge"));
        Result result = validate("--routes", copies[0].toString(), "--mappings", copies[1].toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output())
                .contains("routes/github-issues.yaml:4: route id 'issues' must be the file name 'github-issues'")
                .contains("mappings/github/pull_requests.yaml:")
                .contains("unknown type 'huge'")
                .containsPattern("routes/github-commits.yaml:\\d+: Camel cannot read the route: .*stepz");
    }

    @Test
    void aSourceThatIsNotConfiguredIsAProblem() throws IOException {
        Path[] copies = copyShipped();
        Path issues = copies[0].resolve("github-issues.yaml");
        Files.writeString(issues, Files.readString(issues).replace("source: github", "source: gitlab"));
        Result result = validate("--routes", copies[0].toString(), "--mappings", copies[1].toString());
        assertThat(result.status()).isEqualTo(1);
        // the sources of application.yaml, read without starting anything: github and stripe, and the CDC example crm
        assertThat(result.output()).contains("routes/github-issues.yaml:7: source 'gitlab' is not configured "
                + "(configured: crm, github, stripe); declare it under hooksync.sources.gitlab (webhooks) or "
                + "hooksync.cdc.sources.gitlab (CDC), or fix the name").contains("1 problem(s)");
    }

    @Test
    void aConfigurationThatCannotBeReadIsAProblemNotACrash() {
        System.setProperty("spring.config.import", "file:no-such-hooksync-config.yaml");
        try {
            Result result = validate();
            assertThat(result.status()).isEqualTo(1);
            assertThat(result.output()).startsWith("configuration: cannot be read, so the routes' sources are not checked")
                    .contains("no-such-hooksync-config.yaml").contains("1 problem(s)");
        } finally {
            System.clearProperty("spring.config.import");
        }
    }

    @Test
    void everyIndependentProblemIsInOneReport() throws IOException {
        Path[] copies = copyShipped();
        Path mapping = copies[1].resolve("github/issues.yaml");
        Files.writeString(mapping, Files.readString(mapping).replace("key: [id]", "key: [nope]"));
        Path pulls = copies[0].resolve("github-pull-requests.yaml");
        Files.writeString(pulls, Files.readString(pulls).replace("types: \"pull_request\"", "types: \"pull.*.x\"")
                .replace("mapping=github/pull_requests", "mapping=github/pulls"));
        Path commits = copies[0].resolve("github-commits.yaml");
        Files.writeString(commits, Files.readString(commits).replace("        - to: hooksync:upsert",
                "        - tooo: log:x\n        - to: hooksync:upsert"));
        Result result = validate("--routes", copies[0].toString(), "--mappings", copies[1].toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output())
                .contains("mappings/github/issues.yaml:5: key column 'nope' is not in columns")
                .contains("routes/github-pull-requests.yaml:7: types: 'pull.*.x' is not an event type")
                .contains("routes/github-pull-requests.yaml:9: mapping 'github/pulls' does not exist")
                .containsPattern("routes/github-commits.yaml:\\d+: Camel cannot read the route: .*tooo")
                .contains("4 problem(s)");
        // the routes naming the invalid mapping are not reported again: its own problem says what to fix
        assertThat(result.output()).doesNotContain("github-issues.yaml");
    }

    @Test
    void aPayloadPrintsTheRowsItsMappingWouldWrite() {
        Result result = validate("--payload", "examples/payloads/github-issues-opened.json", "--mapping", "github/issues");
        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("examples/payloads/github-issues-opened.json -> github_issues: 1 row(s)")
                .containsPattern("\\{\"id\":\\d+,\"number\":1,\"repository\":\"Codertocat/Hello-World\"");
    }

    @Test
    void aPayloadTheMappingCannotTakeIsAProblem() throws IOException {
        Path payload = Files.writeString(dir.resolve("bad.json"), "{\"issue\": {\"id\": \"not a number\"}}");
        Result result = validate("--payload", payload.toString(), "--mapping", "github/issues");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains(payload + ": mapping github/issues cannot map it: column id");
        assertThat(validate("--payload", payload.toString()).status()).isEqualTo(2);
    }
}
