package io.runnel.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of values, as the bench reports them. */
final class Percentiles {

    private final long[] sorted;

    /** Copies and sorts the first {@code count} values. */
    Percentiles(long[] values, int count) {
        if (count < 0 || count > values.length) {
            throw new IllegalArgumentException("count " + count + " is outside 0.." + values.length);
        }
        this.sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /**
     * The smallest value with at least {@code fraction} of all values at or below it (nearest rank:
     * rank {@code ceil(fraction * n)}, at least 1).
     *
     * @throws IllegalStateException if there are no values
     */
    long at(double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("a percentile is a fraction from 0 to 1, not " + fraction);
        }
        if (sorted.length == 0) {
            throw new IllegalStateException("no values to take a percentile of");
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
