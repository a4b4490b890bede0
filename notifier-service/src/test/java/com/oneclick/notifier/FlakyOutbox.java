package com.oneclick.notifier;

import com.oneclick.notifier.outbox.OutboxLog;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real outbox, except that the first email queued for one request ({@value #FAIL_ONCE_FOR}) fails
 * as a full disk would; counts the emails queued per request. Only in a notifier started with that
 * property.
 */
public final class FlakyOutbox implements Outbox {

    public static final String FAIL_ONCE_FOR = "test.flaky-outbox.fail-once-for";

    private final OutboxLog real;
    private final String failOnceFor;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final Map<String, Integer> enqueueCalls = new ConcurrentHashMap<>();

    FlakyOutbox(OutboxLog real, String failOnceFor) {
        this.real = real;
        this.failOnceFor = failOnceFor;
    }

    /** How many times an email of this request was handed to the outbox, the failed time included. */
    public int enqueueCalls(String requestId) {
        return enqueueCalls.getOrDefault(requestId, 0);
    }

    @Override
    public void enqueue(QueuedMail mail) {
        String requestId = mail.mailId().requestId();
        enqueueCalls.merge(requestId, 1, Integer::sum);
        if (requestId.equals(failOnceFor) && failed.compareAndSet(false, true)) {
            throw new UncheckedIOException(new IOException("No space left on device (simulated)"));
        }
        real.enqueue(mail);
    }

    @Override
    public List<QueuedMail> pending() {
        return real.pending();
    }

    @Override
    public boolean isPending(MailId mailId) {
        return real.isPending(mailId);
    }

    @Override
    public void markSent(UUID id) {
        real.markSent(id);
    }

    @Override
    public void markSent(Collection<UUID> ids) {
        real.markSent(ids);
    }

    @Override
    public void markDeadLettered(UUID id) {
        real.markDeadLettered(id);
    }

    @Factory
    @Requires(property = FAIL_ONCE_FOR)
    static class Wiring {

        @Singleton
        @Primary
        FlakyOutbox flakyOutbox(OutboxLog real, @Property(name = FAIL_ONCE_FOR) String failOnceFor) {
            return new FlakyOutbox(real, failOnceFor);
        }
    }
}
