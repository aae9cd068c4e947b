package io.bookhook.app.bench;

import java.util.Arrays;

/**
 * Percentiles of commit→receive latencies, in whole milliseconds.
 *
 * <p>Nearest-rank method: the p-th percentile of n sorted values is the value at rank ⌈p/100 × n⌉ (1-based), so it is
 * always a latency some webhook really had, never an interpolation; p100 is the maximum.
 */
public final class LatencyStats {

    private LatencyStats() {
    }

    /** Count, p50, p95, p99 and max of a set of latencies; all zero for an empty set (count tells them apart). */
    public record Summary(int count, long p50, long p95, long p99, long max) {

        public static final Summary EMPTY = new Summary(0, 0, 0, 0, 0);

        public boolean isEmpty() {
            return count == 0;
        }
    }

    /** Summarizes {@code latencies}; the array is sorted in place. */
    public static Summary summarize(long[] latencies) {
        return summarize(latencies, latencies.length);
    }

    /** Summarizes the first {@code count} values of {@code latencies}; those are sorted in place. */
    public static Summary summarize(long[] latencies, int count) {
        if (count == 0) {
            return Summary.EMPTY;
        }
        Arrays.sort(latencies, 0, count);
        return new Summary(count, nearestRank(latencies, count, 50), nearestRank(latencies, count, 95),
                nearestRank(latencies, count, 99), latencies[count - 1]);
    }

    /** The value at rank ⌈percent/100 × count⌉ of the first {@code count} values of {@code sorted}, ascending. */
    public static long nearestRank(long[] sorted, int count, int percent) {
        if (count <= 0) {
            throw new IllegalArgumentException("no values");
        }
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be 1-100, got " + percent);
        }
        // ⌈percent × count / 100⌉ in integers: no floating-point rounding at exact ranks (p50 of 200 values is rank 100).
        long rank = ((long) percent * count + 99) / 100;
        return sorted[(int) Math.max(1, rank) - 1];
    }
}
