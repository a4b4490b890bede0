package com.oneclick.model.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The envelope every event shares. The Kafka record key is {@link #requestId()}, so all events of
 * one request stay ordered on one partition; the logical type travels in the
 * {@link com.oneclick.model.json.EventJson#TYPE_HEADER} header.
 */
public sealed interface RequestEvent
        permits RequestSubmitted, RequestApproved, RequestRejected, ApprovalRequested, StackPushed, BuildStarted,
        InstanceProvisioned, ProvisioningFailed, NotificationSent {

    /** The schema version this code writes and reads. */
    int SCHEMA_VERSION = 1;

    UUID eventId();

    String requestId();

    Instant occurredAt();

    int schemaVersion();

    default EventType type() {
        return EventType.of(this);
    }
}
