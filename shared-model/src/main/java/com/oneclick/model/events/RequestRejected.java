package com.oneclick.model.events;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.UUID;

/**
 * The request is rejected, always with a reason. {@code rejectedBy} is an approver's user name, or
 * {@code policy:<name>} when the platform decided (an expired request is rejected by
 * {@code policy:expiry} with the reason {@code expired}). {@code policy} is null for a person's decision.
 */
public record RequestRejected(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                              String rejectedBy, String reason, String policy, InstanceRequest request)
        implements RequestEvent, CarriesRequest {

    public static RequestRejected of(String requestId, String rejectedBy, String reason, InstanceRequest request) {
        return of(requestId, rejectedBy, reason, null, request);
    }

    public static RequestRejected of(String requestId, String rejectedBy, String reason, String policy,
                                     InstanceRequest request) {
        return new RequestRejected(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, rejectedBy, reason,
                policy, request);
    }
}
