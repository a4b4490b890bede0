package com.oneclick.notifier;

import java.time.Duration;

/**
 * Retries of one email: {@code initialBackoff} after the first failure, twice as long after each
 * further one, at most {@code maxBackoff}; after {@code giveUpAfter} since the email was queued it is
 * dead-lettered instead of tried again.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {

    public RetryPolicy {
        if (initialBackoff == null || maxBackoff == null || giveUpAfter == null
                || initialBackoff.isNegative() || maxBackoff.isNegative() || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("backoff and give-up durations must be set and zero or positive");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
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
}
