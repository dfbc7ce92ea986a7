package io.hooksync.infra;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints configuration problems as one clear startup message instead of a stack trace. */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        StringBuilder description = new StringBuilder("Hooksync configuration has ")
                .append(cause.problems().size()).append(cause.problems().size() == 1 ? " problem:" : " problems:");
        cause.problems().forEach(p -> description.append(System.lineSeparator()).append("  - ").append(p));
        return new FailureAnalysis(description.toString(),
                "Fix the configuration named above and start Hooksync again.", cause);
    }
}
