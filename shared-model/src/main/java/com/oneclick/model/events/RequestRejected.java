package com.oneclick.model.events;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.UUID;

/** An approver rejected the request, always with a reason. */
public record RequestRejected(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                              String rejectedBy, String reason, InstanceRequest request)
        implements RequestEvent, CarriesRequest {

    public static RequestRejected of(String requestId, String rejectedBy, String reason, InstanceRequest request) {
        return new RequestRejected(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, rejectedBy, reason,
                request);
    }
}
