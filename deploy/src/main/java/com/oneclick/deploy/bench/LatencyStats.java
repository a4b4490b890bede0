package com.oneclick.deploy.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Percentiles of a set of durations, in milliseconds. Nearest-rank method: the p-th percentile is
 * the smallest value that at least p % of the values are less than or equal to, so it is always
 * one of the measured values. An empty set has count 0 and NaN everywhere.
 */
public record LatencyStats(int count, double minMs, double p50Ms, double p95Ms, double p99Ms, double maxMs,
                           double meanMs) {

    public static final LatencyStats EMPTY = new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    public static LatencyStats of(Collection<Duration> durations) {
        if (durations.isEmpty()) {
            return EMPTY;
        }
        List<Duration> sorted = durations.stream().sorted().toList();
        double sum = 0;
        for (Duration d : sorted) {
            sum += millis(d);
        }
        return new LatencyStats(sorted.size(), millis(sorted.get(0)), percentile(sorted, 50), percentile(sorted, 95),
                percentile(sorted, 99), millis(sorted.get(sorted.size() - 1)), sum / sorted.size());
    }

    /** Nearest rank: the value at rank ceil(p/100 * n) (1-based) of the sorted values. */
    static double percentile(List<Duration> sorted, double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return millis(sorted.get(Math.max(rank, 1) - 1));
    }

    public boolean isEmpty() {
        return count == 0;
    }

    static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }
}
