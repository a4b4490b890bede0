package com.oneclick.notifier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Drains the {@link Outbox}: when to try each email, when to wait, when to give up. No threads
 * here: {@link #runDue()} makes every attempt that is due and says when the next one is; a sender
 * thread (an adapter) calls it in a loop.
 *
 * <ul>
 *   <li>Sent: the email leaves the outbox.</li>
 *   <li>Rejected for good (5xx): dead-lettered at once with the server's answer.</li>
 *   <li>Deferred (4xx): this email waits its backoff (doubling up to the maximum); the others go on.</li>
 *   <li>Server unavailable (refused, timed out, login failed): every email waits the server's
 *       backoff, so an outage costs one probe per backoff, not one per email.</li>
 *   <li>An email still not sent {@code giveUpAfter} after it was queued is dead-lettered with the
 *       last failure.</li>
 *   <li>Anything else (the broker not acknowledging NotificationSent or a dead letter, a disk
 *       error): retried with backoff and never given up, since the email may have gone already.</li>
 * </ul>
 * Attempt counts and due times live in memory; after a restart every queued email is due at once,
 * while the give-up deadline still counts from when it was queued.
 */
public final class MailDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);

    private final Outbox outbox;
    private final Notifications notifications;
    private final DeadLetters deadLetters;
    private final RetryPolicy retry;
    private final Clock clock;

    private final Map<UUID, Schedule> schedules = new HashMap<>();
    private Instant serverPausedUntil = Instant.MIN;
    private int serverFailures;
    private MailDeliveryException lastServerFailure;
    private long failedAttempts;
    private String lastFailure;

    public MailDelivery(Outbox outbox, Notifications notifications, DeadLetters deadLetters, RetryPolicy retry,
                        Clock clock) {
        this.outbox = outbox;
        this.notifications = notifications;
        this.deadLetters = deadLetters;
        this.retry = retry;
        this.clock = clock;
    }

    private static final class Schedule {
        int attempts;
        Instant dueAt;

        Schedule(Instant dueAt) {
            this.dueAt = dueAt;
        }
    }

    /** Makes every attempt that is due now; returns when the next one is due, empty when nothing waits. */
    public synchronized Optional<Instant> runDue() {
        for (QueuedMail queued : outbox.pending()) {
            Instant now = clock.instant();
            Schedule schedule = schedules.computeIfAbsent(queued.id(), id -> new Schedule(now));
            if (now.isBefore(serverPausedUntil)) {
                if (pastDeadline(queued, now)) {
                    giveUp(queued, schedule, DeadLetters.DeadLetter.MAIL_GAVE_UP, lastServerFailure, now);
                }
                continue;
            }
            if (schedule.dueAt.isAfter(now)) {
                continue;
            }
            tryOnce(queued, schedule, now);
        }
        return nextDue();
    }

    /** Failed attempts since start (every kind of failure), for health and tests. */
    public synchronized long failedAttempts() {
        return failedAttempts;
    }

    /** The last failure, for health; null when there was none. */
    public synchronized String lastFailure() {
        return lastFailure;
    }

    private void tryOnce(QueuedMail queued, Schedule schedule, Instant now) {
        try {
            notifications.attempt(queued);
            outbox.markSent(queued.id());
            schedules.remove(queued.id());
            serverFailures = 0;
        } catch (MailDeliveryException e) {
            failed(schedule, e);
            MailDeliveryException.Failure failure = e.failure();
            if (failure.permanent()) {
                LOG.warn("Email {} rejected by the mail server: {}", queued.mailId(), e.getMessage());
                giveUp(queued, schedule, DeadLetters.DeadLetter.MAIL_REJECTED, e, now);
                return;
            }
            if (failure == MailDeliveryException.Failure.SERVER_UNAVAILABLE) {
                serverFailures++;
                lastServerFailure = e;
                serverPausedUntil = now.plus(retry.backoffAfter(serverFailures));
            }
            if (pastDeadline(queued, now)) {
                giveUp(queued, schedule, DeadLetters.DeadLetter.MAIL_GAVE_UP, e, now);
                return;
            }
            Duration wait = retry.backoffAfter(schedule.attempts);
            schedule.dueAt = now.plus(wait);
            LOG.warn("Email {} not sent (attempt {}, {}): {}; next try in {} ms", queued.mailId(), schedule.attempts,
                    failure, e.getMessage(), wait.toMillis());
        } catch (RuntimeException e) {
            failed(schedule, e);
            Duration wait = retry.backoffAfter(schedule.attempts);
            schedule.dueAt = now.plus(wait);
            LOG.warn("Email {}: could not record or announce it (attempt {}): {}; next try in {} ms",
                    queued.mailId(), schedule.attempts, e.toString(), wait.toMillis());
        }
    }

    private void failed(Schedule schedule, RuntimeException e) {
        schedule.attempts++;
        failedAttempts++;
        lastFailure = e.getMessage();
    }

    private void giveUp(QueuedMail queued, Schedule schedule, String cause, MailDeliveryException failure,
                        Instant now) {
        String reason = failure == null ? "mail server unavailable" : failure.getMessage();
        String message = DeadLetters.DeadLetter.MAIL_REJECTED.equals(cause)
                ? "mail server rejected the email to " + queued.mail().recipient() + ": " + reason
                : "gave up on the email to " + queued.mail().recipient() + " after " + schedule.attempts
                + " attempt(s) in " + Duration.between(queued.queuedAt(), now).toSeconds() + " s: " + reason;
        DeadLetters.DeadLetter letter = new DeadLetters.DeadLetter(cause, queued.mailId().slot(), message,
                failure == null ? MailDeliveryException.class.getName() : rootClass(failure),
                queued.mail().recipient(), schedule.attempts);
        try {
            deadLetters.send(queued.origin(), letter);
            outbox.markDeadLettered(queued.id());
            schedules.remove(queued.id());
        } catch (RuntimeException e) {
            schedule.dueAt = now.plus(retry.backoffAfter(Math.max(1, schedule.attempts)));
            lastFailure = e.getMessage();
            LOG.warn("Email {}: could not dead-letter it ({}); trying again later", queued.mailId(), e.toString());
        }
    }

    private Optional<Instant> nextDue() {
        List<QueuedMail> pending = outbox.pending();
        if (pending.isEmpty()) {
            schedules.clear();
            return Optional.empty();
        }
        Instant next = null;
        for (QueuedMail queued : pending) {
            Schedule schedule = schedules.get(queued.id());
            Instant due = schedule == null ? clock.instant() : schedule.dueAt;
            if (next == null || due.isBefore(next)) {
                next = due;
            }
        }
        return Optional.of(next.isBefore(serverPausedUntil) ? serverPausedUntil : next);
    }

    private boolean pastDeadline(QueuedMail queued, Instant now) {
        return !now.isBefore(queued.queuedAt().plus(retry.giveUpAfter()));
    }

    private static String rootClass(Throwable failure) {
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        return cause.getClass().getName();
    }
}
