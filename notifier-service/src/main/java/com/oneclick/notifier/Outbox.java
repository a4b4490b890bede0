package com.oneclick.notifier;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Port: the durable queue of emails to send. An email is queued before its record's offset is
 * committed and leaves the queue only once it was sent (and announced) or dead-lettered, so a
 * crash or a mail server that is down loses nothing.
 */
public interface Outbox {

    /** Durably queues an email; returns once it would survive a crash. */
    void enqueue(QueuedMail mail);

    /** The emails still to send, oldest first. */
    List<QueuedMail> pending();

    /** Whether an email with this identity is waiting already. */
    boolean isPending(MailId mailId);

    /** Durably records that the email was sent and announced (or had been before). */
    void markSent(UUID id);

    /** Durably records that these emails were sent and announced: one durable write for all of them. */
    default void markSent(Collection<UUID> ids) {
        ids.forEach(this::markSent);
    }

    /** Durably records that the email was dead-lettered. */
    void markDeadLettered(UUID id);
}
