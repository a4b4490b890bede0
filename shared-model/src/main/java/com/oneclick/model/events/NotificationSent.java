package com.oneclick.model.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An email went out. {@code notification} names which one (e.g. {@code PROVISIONED}),
 * {@code sourceEventId} is the event it answers.
 */
public record NotificationSent(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                               String notification, UUID sourceEventId, String recipient) implements RequestEvent {

    public static NotificationSent of(String requestId, String notification, UUID sourceEventId, String recipient) {
        return new NotificationSent(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, notification,
                sourceEventId, recipient);
    }
}
