package com.oneclick.notifier;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An email waiting in the outbox: what it is ({@link MailId}), the event it answers, the message
 * itself, the record it came from (for a dead letter), and when it was queued (the give-up deadline
 * counts from there, also across restarts).
 */
public record QueuedMail(UUID id, MailId mailId, UUID sourceEventId, OutgoingMail mail, RecordOrigin origin,
                         Instant queuedAt) {

    public QueuedMail {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mailId, "mailId");
        Objects.requireNonNull(sourceEventId, "sourceEventId");
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(queuedAt, "queuedAt");
    }
}
