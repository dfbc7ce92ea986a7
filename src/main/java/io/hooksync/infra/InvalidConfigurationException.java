package io.hooksync.infra;

import java.util.List;

/**
 * Startup found configuration it cannot run with (a source without its secret, a mapping with an
 * error). Each problem names where it is and what to do; the engine does not start half-configured.
 */
public class InvalidConfigurationException extends RuntimeException {

    private final transient List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
