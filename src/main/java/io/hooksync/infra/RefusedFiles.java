package io.hooksync.infra;

import java.util.List;

/**
 * The route and mapping files whose last edit the running engine refused, so what runs is an older version than the
 * file (or nothing, for a new file): the dashboard shows them, since a refusal in the log alone is easily missed.
 */
public interface RefusedFiles {

    /** A file ({@code routes/x.yaml}, {@code mappings/github/issues.yaml}) and what is wrong with it. */
    record Refusal(String file, List<String> problems) {
    }

    /** The refusals in force, by file name. */
    List<Refusal> current();
}
