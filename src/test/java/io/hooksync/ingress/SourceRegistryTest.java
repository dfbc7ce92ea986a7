package io.hooksync.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.hooksync.infra.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.unit.DataSize;

class SourceRegistryTest {

    @TempDir
    Path dir;

    private static IngressProperties.SourceProperties source(SourceKind kind, List<String> secrets, boolean unverified) {
        return new IngressProperties.SourceProperties(kind, true, secrets, unverified, null, DataSize.ofMegabytes(1),
                null, null, null, null, null, null);
    }

    private static SourceRegistry registry(MockEnvironment env, Map<String, IngressProperties.SourceProperties> sources) {
        return new SourceRegistry(new IngressProperties(new IngressProperties.Ingress("/webhooks", "hooksync.events.",
                DataSize.ofMegabytes(64), java.time.Duration.ofSeconds(30), new IngressProperties.RateLimit(0, java.time.Duration.ofSeconds(1))),
                sources), env, Clock.systemUTC());
    }

    @Test
    void missingSecretVariableStopsTheStartNamingIt() {
        assertThatThrownBy(() -> registry(new MockEnvironment(),
                Map.of("github", source(SourceKind.GITHUB, List.of("env:GITHUB_WEBHOOK_SECRET"), false))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("source 'github'")
                .hasMessageContaining("environment variable GITHUB_WEBHOOK_SECRET is not set");
    }

    @Test
    void literalSecretsInConfigurationAreRefused() {
        assertThatThrownBy(() -> registry(new MockEnvironment(),
                Map.of("github", source(SourceKind.GITHUB, List.of("my-actual-secret"), false))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("neither env:NAME nor file:/path")
                .hasMessageNotContaining("my-actual-secret");
    }

    @Test
    void secretsComeFromVariablesAndFilesAndAnyPresentOneIsEnough() throws IOException {
        Path file = Files.writeString(dir.resolve("stripe"), "whsec_from_file\n");
        SourceRegistry registry = registry(new MockEnvironment().withProperty("GH", "from-env"), Map.of(
                "github", source(SourceKind.GITHUB, List.of("env:GH", "env:GH_PREVIOUS"), false),
                "stripe", source(SourceKind.STRIPE, List.of("file:" + file), false)));
        assertThat(registry.find("github")).get().extracting(Source::verifier).isInstanceOf(GitHubVerifier.class);
        assertThat(registry.find("stripe")).get().extracting(Source::verifier).isInstanceOf(StripeVerifier.class);
        assertThat(registry.topicOf("github")).isEqualTo("hooksync.events.github");
    }

    @Test
    void anUnverifiedSourceMustBeExplicit() {
        SourceRegistry registry = registry(new MockEnvironment(),
                Map.of("local", source(SourceKind.GITHUB, List.of(), true)));
        assertThat(registry.find("local")).get().extracting(Source::verifier).isInstanceOf(NoVerification.class);
        assertThatThrownBy(() -> registry(new MockEnvironment(), Map.of("local", source(SourceKind.GITHUB, List.of(), false))))
                .hasMessageContaining("no secrets configured");
    }

    @Test
    void allProblemsAreReportedTogether() {
        assertThatThrownBy(() -> registry(new MockEnvironment(), Map.of(
                "github", source(SourceKind.GITHUB, List.of("env:A"), false),
                "stripe", source(SourceKind.STRIPE, List.of("env:B"), false))))
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).problems()).hasSize(2));
    }
}
