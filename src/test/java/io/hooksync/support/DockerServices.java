package io.hooksync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class that gets its services from containers only where a Docker engine is reachable.
 * Without one the class is reported as not run, with one line saying what it needs, unless
 * {@code HOOKSYNC_REQUIRE_DOCKER=true} (or {@code CI=true}, or {@code -Dhooksync.require-docker=true}) is set:
 * then a missing engine fails the class, so CI can never pass with these tests silently skipped.
 */
public final class DockerServices implements ExecutionCondition {

    private static volatile Boolean available;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (dockerAvailable()) {
            context.getTestClass().filter(c -> context.getTestMethod().isEmpty()).ifPresent(DockerServices::record);
            return ConditionEvaluationResult.enabled("a Docker engine is reachable");
        }
        ConditionEvaluationResult result = withoutDocker(context.getTestClass().map(Class::getSimpleName).orElse("this test"),
                context.getTags(), required());
        if (context.getTestMethod().isEmpty()) {
            System.err.println("[hooksync] " + result.getReason().orElseThrow());   // the one line per class on the console too
        }
        return result;
    }

    /** What a test class needing the services {@code tags} gets when no Docker engine is reachable. */
    static ConditionEvaluationResult withoutDocker(String testClass, Set<String> tags, boolean required) {
        String needs = testClass + " needs a Docker engine for "
                + String.join(", ", tags.stream().filter(tag -> !tag.equals("docker")).sorted().toList())
                + " (Testcontainers; where no registry is reachable also scripts/stand-in-images)";
        if (required) {
            throw new ExtensionConfigurationException("not run but required (HOOKSYNC_REQUIRE_DOCKER/CI): " + needs);
        }
        return ConditionEvaluationResult.disabled("not run: " + needs);
    }

    /** Lists the class in target/testcontainers-classes.txt, which .ci/run reads to count the tests run on containers. */
    private static synchronized void record(Class<?> testClass) {
        try {
            Path list = Path.of("target", "testcontainers-classes.txt");
            Files.createDirectories(list.getParent());
            Files.writeString(list, testClass.getName() + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean dockerAvailable() {
        if (available == null) {
            available = DockerClientFactory.instance().isDockerAvailable();
        }
        return available;
    }

    static boolean required() {
        return isTrue(System.getProperty("hooksync.require-docker")) || isTrue(System.getenv("HOOKSYNC_REQUIRE_DOCKER"))
                || isTrue(System.getenv("CI"));
    }

    private static boolean isTrue(String value) {
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
    }
}
