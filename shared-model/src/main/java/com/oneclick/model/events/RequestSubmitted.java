package com.oneclick.model.events;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.UUID;

/** A requester asked for an instance; the request passed validation. */
public record RequestSubmitted(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                               InstanceRequest request) implements RequestEvent, CarriesRequest {

    public static RequestSubmitted of(String requestId, InstanceRequest request) {
        return new RequestSubmitted(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, request);
    }
}
