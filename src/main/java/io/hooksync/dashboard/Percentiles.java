package io.hooksync.dashboard;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample (sorted in place); null for an empty sample. */
final class Percentiles {

    private Percentiles() {
    }

    static Long of(long[] sample, double percentile) {
        if (sample.length == 0) {
            return null;
        }
        Arrays.sort(sample);
        int rank = (int) Math.ceil(percentile / 100.0 * sample.length);
        return sample[Math.max(0, Math.min(sample.length - 1, rank - 1))];
    }
}
