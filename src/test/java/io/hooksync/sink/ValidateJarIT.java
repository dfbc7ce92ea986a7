package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.hooksync.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The packaged engine jar's {@code validate} command, as a user's CI runs it: exit status 0 on the shipped
 * files, 1 with {@code file:line} on broken copies; no Kafka, no database, nothing else started.
 */
class ValidateJarIT {

    private record Run(int status, String output) {
    }

    private static Run validate(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString(), "validate"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static Path jar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "hooksync-*.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IllegalStateException("no target/hooksync-*.jar: run mvn package first");
    }

    @Test
    void theShippedFilesPassAndBrokenCopiesFailWithFileAndLine() throws Exception {
        Run shipped = validate();
        assertThat(shipped.status()).as(shipped.output()).isZero();
        assertThat(shipped.output()).contains("OK: 7 route file(s) in routes");

        Path data = TestData.directory("validate-jar");
        Path routes = data.resolve("routes");
        FileSystemUtils.copyRecursively(Path.of("routes"), routes);
        Path issues = routes.resolve("github-issues.yaml");
        Files.writeString(issues, Files.readString(issues).replace("steps:", "stepz:"));
        Files.writeString(routes.resolve("renamed.yaml"), Files.readString(routes.resolve("stripe-customers.yaml")));
        Path pulls = routes.resolve("github-pull-requests.yaml");
        Files.writeString(pulls, Files.readString(pulls).replace("source: github", "source: gitlab"));
        Run broken = validate("--routes", routes.toString());
        assertThat(broken.status()).as(broken.output()).isEqualTo(1);
        assertThat(broken.output())
                .containsPattern("routes/github-issues.yaml:\\d+: Camel cannot read the route: Unsupported field: stepz")
                .contains("routes/renamed.yaml:4: route id 'stripe-customers' must be the file name 'renamed'")
                .contains("routes/renamed.yaml:4: route identity 'stripe-customers'")
                // the sources of the jar's application.yaml
                .contains("routes/github-pull-requests.yaml:7: source 'gitlab' is not configured (configured: crm, "
                        + "github, stripe)");
    }
}
