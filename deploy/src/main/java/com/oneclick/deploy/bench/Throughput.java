package com.oneclick.deploy.bench;

import java.time.Duration;
import java.time.Instant;

/** Completed items per second over a span of wall-clock time. */
public final class Throughput {

    private Throughput() {
    }

    /** {@code count / span}; NaN when nothing completed or the span is not positive. */
    public static double perSecond(long count, Duration span) {
        if (count <= 0 || span == null || span.isNegative() || span.isZero()) {
            return Double.NaN;
        }
        return count / (span.toNanos() / 1e9);
    }

    public static double perSecond(long count, Instant from, Instant to) {
        if (from == null || to == null) {
            return Double.NaN;
        }
        return perSecond(count, Duration.between(from, to));
    }

    /** {@code numerator / denominator}, NaN when either is not a positive finite number. */
    public static double ratio(double numerator, double denominator) {
        if (!(numerator >= 0) || !(denominator > 0) || Double.isInfinite(numerator) || Double.isInfinite(denominator)) {
            return Double.NaN;
        }
        return numerator / denominator;
    }
}
