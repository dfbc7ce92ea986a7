package io.hooksync.support;

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
