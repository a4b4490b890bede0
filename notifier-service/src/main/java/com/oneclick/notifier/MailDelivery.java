package com.oneclick.notifier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains the {@link Outbox}: when to try each email, when to wait, when to give up. No threads
 * here: {@link #runDue(int)} makes every attempt of one worker that is due and says when its next
 * one is; sender threads (an adapter) call it in a loop, one thread per worker.
 *
 * <p>Emails are split among {@link #workers()} workers by request ID, so the emails of one request
 * are always sent by the same worker, oldest first: a requester gets "received" before "approved"
 * before "ready". An email also waits while an earlier email of its request to the same recipient
 * has not gone yet (e.g. was deferred), so the order holds across retries too.
 *
 * <ul>
 *   <li>Sent: NotificationSent is published without waiting; a worker gathers the broker's
 *       acknowledgements of up to {@value #BATCH} emails, records them in the sent log with one
 *       fsync, then takes them out of the outbox with one fsync.</li>
 *   <li>Rejected for good (5xx): dead-lettered at once with the server's answer.</li>
 *   <li>Deferred (4xx): this email (and the later ones of its request) waits its backoff, doubling
 *       up to the maximum; the others go on.</li>
 *   <li>Server unavailable (refused, timed out, login failed): every worker waits the server's
 *       backoff, and after it one probe at a time goes to the server until one gets through, so an
 *       outage costs one probe per backoff, not one per email or per worker.</li>
 *   <li>An email still not sent {@code giveUpAfter} after it was queued is dead-lettered with the
 *       last failure.</li>
 *   <li>Anything else (the broker not acknowledging NotificationSent or a dead letter, a disk
 *       error): retried with backoff and never given up, since the email may have gone already.</li>
 * </ul>
 * Attempt counts and due times live in memory; after a restart every queued email is due at once,
 * while the give-up deadline still counts from when it was queued.
 */
public final class MailDelivery {

    /** Emails whose NotificationSent acknowledgements a worker gathers before recording them. */
    static final int BATCH = 16;

    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);

    private final Outbox outbox;
    private final Notifications notifications;
    private final DeadLetters deadLetters;
    private final RetryPolicy retry;
    private final Clock clock;
    private final int workers;
    private final Object[] workerLocks;
    private final MailServerGate server;

    private final Map<UUID, Schedule> schedules = new ConcurrentHashMap<>();
    private final AtomicLong failedAttempts = new AtomicLong();
    private volatile String lastFailure;

    public MailDelivery(Outbox outbox, Notifications notifications, DeadLetters deadLetters, RetryPolicy retry,
                        Clock clock) {
        this(outbox, notifications, deadLetters, retry, clock, 1);
    }

    public MailDelivery(Outbox outbox, Notifications notifications, DeadLetters deadLetters, RetryPolicy retry,
                        Clock clock, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("at least one sender is needed, not " + workers);
        }
        this.outbox = outbox;
        this.notifications = notifications;
        this.deadLetters = deadLetters;
        this.retry = retry;
        this.clock = clock;
        this.workers = workers;
        this.workerLocks = new Object[workers];
        for (int i = 0; i < workers; i++) {
            workerLocks[i] = new Object();
        }
        this.server = new MailServerGate(retry);
    }

    private static final class Schedule {
        int attempts;
        Instant dueAt;

        Schedule(Instant dueAt) {
            this.dueAt = dueAt;
        }
    }

    /** How many workers share the outbox. */
    public int workers() {
        return workers;
    }

    /** The worker that sends every email of this request. */
    public int workerOf(String requestId) {
        return Math.floorMod(requestId.hashCode(), workers);
    }

    /** Called (on a sender thread) when the mail server answers again after being unavailable. */
    public void onServerBack(Runnable listener) {
        server.onBack(listener);
    }

    /** Every worker in turn, on the calling thread; returns when the next attempt is due, empty when nothing waits. */
    public Optional<Instant> runDue() {
        Instant next = null;
        for (int worker = 0; worker < workers; worker++) {
            next = earlier(next, runDue(worker).orElse(null));
        }
        return Optional.ofNullable(next);
    }

    /**
     * Makes every attempt of this worker that is due now; returns when its next one is due, empty when
     * none of its emails waits. One thread per worker at a time (calls for one worker are serialised).
     */
    public Optional<Instant> runDue(int worker) {
        if (worker < 0 || worker >= workers) {
            throw new IllegalArgumentException("no worker " + worker);
        }
        synchronized (workerLocks[worker]) {
            return pass(worker);
        }
    }

    /** Failed attempts since start (every kind of failure), for health and tests. */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** The last failure, for health; null when there was none. */
    public String lastFailure() {
        return lastFailure;
    }

    private Optional<Instant> pass(int worker) {
        Instant next = null;
        List<Notifications.Delivered> delivered = new ArrayList<>();
        // (request, recipient) pairs with an earlier email that has not gone yet: later ones wait
        Set<String> waiting = new HashSet<>();
        for (QueuedMail queued : outbox.pending()) {
            if (workerOf(queued.mailId().requestId()) != worker) {
                continue;
            }
            String line = queued.mailId().requestId() + ' ' + queued.mail().recipient().toLowerCase(Locale.ROOT);
            if (waiting.contains(line)) {
                continue;
            }
            Instant now = clock.instant();
            Schedule schedule = schedules.computeIfAbsent(queued.id(), id -> new Schedule(now));
            Optional<Instant> paused = server.pausedUntil(now);
            if (paused.isPresent()) {
                if (pastDeadline(queued, now)) {
                    giveUp(queued, schedule, DeadLetters.DeadLetter.MAIL_GAVE_UP, server.lastFailure(), now);
                    if (schedules.containsKey(queued.id())) {
                        waiting.add(line);
                        next = earlier(next, schedule.dueAt);
                    }
                    continue;
                }
                waiting.add(line);
                next = earlier(next, paused.get());
                continue;
            }
            if (schedule.dueAt.isAfter(now)) {
                waiting.add(line);
                next = earlier(next, schedule.dueAt);
                continue;
            }
            MailServerGate.Ticket ticket = server.enter(now);
            if (ticket.refusedUntil() != null) {
                // paused meanwhile by another worker, or another worker's probe is out: wait for it
                waiting.add(line);
                next = earlier(next, ticket.refusedUntil());
                continue;
            }
            Notifications.Delivered done = tryOnce(queued, schedule, now, ticket);
            if (done != null) {
                delivered.add(done);
                if (delivered.size() >= BATCH) {
                    next = earlier(next, confirm(delivered));
                    delivered.clear();
                }
            } else if (schedules.containsKey(queued.id())) {
                waiting.add(line);
                next = earlier(next, server.notBefore(schedule.dueAt));
            }
        }
        next = earlier(next, confirm(delivered));
        return Optional.ofNullable(next);
    }

    /** Sends (unless sent before) and starts announcing; null when the email is not out yet. */
    private Notifications.Delivered tryOnce(QueuedMail queued, Schedule schedule, Instant now,
                                            MailServerGate.Ticket ticket) {
        try {
            Notifications.Delivered done = notifications.deliver(queued);
            server.answered(ticket, done.mailedNow());
            return done;
        } catch (MailDeliveryException e) {
            failed(schedule, e);
            MailDeliveryException.Failure failure = e.failure();
            if (failure == MailDeliveryException.Failure.SERVER_UNAVAILABLE) {
                server.unavailable(ticket, now, e);
            } else {
                server.answered(ticket, false);
            }
            if (failure.permanent()) {
                LOG.warn("Email {} rejected by the mail server: {}", queued.mailId(), e.getMessage());
                giveUp(queued, schedule, DeadLetters.DeadLetter.MAIL_REJECTED, e, now);
                return null;
            }
            if (pastDeadline(queued, now)) {
                giveUp(queued, schedule, DeadLetters.DeadLetter.MAIL_GAVE_UP, e, now);
                return null;
            }
            Duration wait = retry.backoffAfter(schedule.attempts);
            schedule.dueAt = now.plus(wait);
            LOG.warn("Email {} not sent (attempt {}, {}): {}; next try in {} ms", queued.mailId(), schedule.attempts,
                    failure, e.getMessage(), wait.toMillis());
            return null;
        } catch (RuntimeException e) {
            server.answered(ticket, false);
            failed(schedule, e);
            Duration wait = retry.backoffAfter(schedule.attempts);
            schedule.dueAt = now.plus(wait);
            LOG.warn("Email {}: could not record or announce it (attempt {}): {}; next try in {} ms",
                    queued.mailId(), schedule.attempts, e.toString(), wait.toMillis());
            return null;
        }
    }

    /**
     * Waits for the NotificationSent acknowledgements of these emails, records them (one fsync in the
     * sent log, one in the outbox); those not acknowledged are tried again after their backoff (their
     * email is not sent again). Returns the earliest such retry, or null.
     */
    private Instant confirm(List<Notifications.Delivered> delivered) {
        if (delivered.isEmpty()) {
            return null;
        }
        Map<UUID, RuntimeException> failures = notifications.confirm(delivered);
        List<UUID> done = new ArrayList<>();
        for (Notifications.Delivered one : delivered) {
            if (!failures.containsKey(one.mail().id())) {
                done.add(one.mail().id());
            }
        }
        if (!done.isEmpty()) {
            try {
                outbox.markSent(done);
                done.forEach(schedules::remove);
            } catch (RuntimeException e) {
                done.forEach(id -> failures.put(id, e));
            }
        }
        Instant next = null;
        Instant now = clock.instant();
        for (Notifications.Delivered one : delivered) {
            RuntimeException e = failures.get(one.mail().id());
            if (e == null) {
                continue;
            }
            Schedule schedule = schedules.computeIfAbsent(one.mail().id(), id -> new Schedule(now));
            failed(schedule, e);
            Duration wait = retry.backoffAfter(schedule.attempts);
            schedule.dueAt = now.plus(wait);
            next = earlier(next, schedule.dueAt);
            LOG.warn("Email {}: sent, but could not announce or record it (attempt {}): {}; next try in {} ms",
                    one.mail().mailId(), schedule.attempts, e.toString(), wait.toMillis());
        }
        return next;
    }

    private void failed(Schedule schedule, RuntimeException e) {
        schedule.attempts++;
        failedAttempts.incrementAndGet();
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

    private boolean pastDeadline(QueuedMail queued, Instant now) {
        return !now.isBefore(queued.queuedAt().plus(retry.giveUpAfter()));
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static String rootClass(Throwable failure) {
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        return cause.getClass().getName();
    }
}
