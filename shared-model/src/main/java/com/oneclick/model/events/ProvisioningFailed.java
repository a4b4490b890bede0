package com.oneclick.model.events;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.UUID;

/**
 * Provisioning stopped for good. {@code phase} says where (e.g. {@code push}, {@code build}),
 * {@code reason} is what the tool said, free of secrets.
 */
public record ProvisioningFailed(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                                 String phase, String reason, InstanceRequest request)
        implements RequestEvent, CarriesRequest {

    public static ProvisioningFailed of(String requestId, String phase, String reason, InstanceRequest request) {
        return new ProvisioningFailed(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, phase, reason,
                request);
    }
}
