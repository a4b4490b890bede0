package com.oneclick.notifier;

import java.time.Duration;

/**
 * Bounded retries of one mail delivery: {@code maxAttempts} in all, waiting {@code initialBackoff}
 * after the first failure and twice as long after each further one, at most {@code maxBackoff}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff durations must be zero or positive");
        }
    }

    /** The wait after the given failed attempt (1-based). */
    public Duration backoffAfter(int failedAttempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < failedAttempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /** Waits between attempts; a seam so that tests need not wait. */
    @FunctionalInterface
    public interface Sleeper {

        Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }
}
