package com.oneclick.notifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What every sender worker knows about the mail server. While it is healthy every worker sends at
 * will. Once an attempt finds it unavailable, all workers wait its backoff (growing with each
 * failed probe), then one worker at a time probes it; the others wait until a probe gets through.
 * Attempts that were already under way when the server went away (one per worker at most) fail
 * without growing the backoff: the backoff grows once per probe, as with a single sender.
 */
final class MailServerGate {

    private static final Duration MIN_RECHECK = Duration.ofMillis(50);

    /** {@code refusedUntil} null: go ahead (a probe when {@code probe}); else wait until then or a wake-up. */
    record Ticket(Instant refusedUntil, long epoch, boolean probe) {
    }

    private final RetryPolicy retry;
    private final CopyOnWriteArrayList<Runnable> onBack = new CopyOnWriteArrayList<>();
    private Instant pausedUntil = Instant.MIN;
    private int failures;
    private long epoch;
    private boolean probing;
    private MailDeliveryException lastFailure;

    MailServerGate(RetryPolicy retry) {
        this.retry = retry;
    }

    void onBack(Runnable listener) {
        onBack.add(listener);
    }

    synchronized Optional<Instant> pausedUntil(Instant now) {
        return now.isBefore(pausedUntil) ? Optional.of(pausedUntil) : Optional.empty();
    }

    /** The given due time, or the end of the server's pause if later. */
    synchronized Instant notBefore(Instant due) {
        return due.isBefore(pausedUntil) ? pausedUntil : due;
    }

    synchronized MailDeliveryException lastFailure() {
        return lastFailure;
    }

    synchronized Ticket enter(Instant now) {
        if (now.isBefore(pausedUntil)) {
            return new Ticket(pausedUntil, epoch, false);
        }
        if (failures == 0) {
            return new Ticket(null, epoch, false);
        }
        if (probing) {
            Duration recheck = retry.initialBackoff().compareTo(MIN_RECHECK) < 0 ? MIN_RECHECK : retry.initialBackoff();
            return new Ticket(now.plus(recheck), epoch, false);
        }
        probing = true;
        return new Ticket(null, epoch, true);
    }

    /** The attempt is over and the server answered (accepted when {@code accepted}, else refused this email). */
    void answered(Ticket ticket, boolean accepted) {
        boolean back;
        synchronized (this) {
            if (ticket.probe()) {
                probing = false;
            }
            back = accepted && failures > 0;
            if (back) {
                failures = 0;
                epoch++;
                pausedUntil = Instant.MIN;
            }
        }
        if (back || (ticket.probe() && !accepted)) {
            onBack.forEach(Runnable::run);
        }
    }

    /** The attempt found the server unavailable. */
    synchronized void unavailable(Ticket ticket, Instant now, MailDeliveryException failure) {
        if (ticket.probe()) {
            probing = false;
        }
        lastFailure = failure;
        if (ticket.epoch() == epoch) {
            failures++;
            epoch++;
            pausedUntil = now.plus(retry.backoffAfter(failures));
        }
    }
}
