package com.oneclick.model.events;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.UUID;

/**
 * The build applied the stack and the instance exists. {@code simulated} is true when the local
 * build produced it (no cloud resource was created).
 */
public record InstanceProvisioned(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                                  String instanceId, String instanceName, String privateIp,
                                  String availabilityZone, boolean simulated, String commitId, String buildId,
                                  InstanceRequest request)
        implements RequestEvent, CarriesRequest {

    public static InstanceProvisioned of(String requestId, String instanceId, String instanceName, String privateIp,
                                         String availabilityZone, boolean simulated, String commitId,
                                         String buildId, InstanceRequest request) {
        return new InstanceProvisioned(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, instanceId,
                instanceName, privateIp, availabilityZone, simulated, commitId, buildId, request);
    }
}
