package com.oneclick.model.events;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.UUID;

/** An approver approved the request; {@code comment} may be null. */
public record RequestApproved(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                              String approvedBy, String comment, InstanceRequest request)
        implements RequestEvent, CarriesRequest {

    public static RequestApproved of(String requestId, String approvedBy, String comment, InstanceRequest request) {
        return new RequestApproved(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, approvedBy, comment,
                request);
    }
}
