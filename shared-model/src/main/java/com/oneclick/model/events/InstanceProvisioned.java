package com.oneclick.model.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The build applied the stack and the resource exists. {@code simulated} is true when the local
 * build produced it (no cloud resource was created).
 *
 * <p>{@code instanceId} and {@code instanceName} are the resource's ID and Name tag whatever the
 * product (an Aurora cluster's identifier, for instance); {@code privateIp} and
 * {@code availabilityZone} are set for products whose module has those outputs (EC2). {@code outputs}
 * holds every output the catalog lists for the product, as text, in the catalog's order (output
 * name → value); it is empty in events written before products existed.
 */
public record InstanceProvisioned(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                                  String instanceId, String instanceName, String privateIp,
                                  String availabilityZone, boolean simulated, String commitId, String buildId,
                                  InstanceRequest request,
                                  @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> outputs)
        implements RequestEvent, CarriesRequest {

    public InstanceProvisioned {
        outputs = outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /** An event without the outputs map (the shape before products existed). */
    public InstanceProvisioned(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                               String instanceId, String instanceName, String privateIp, String availabilityZone,
                               boolean simulated, String commitId, String buildId, InstanceRequest request) {
        this(eventId, requestId, occurredAt, schemaVersion, instanceId, instanceName, privateIp, availabilityZone,
                simulated, commitId, buildId, request, Map.of());
    }

    public static InstanceProvisioned of(String requestId, String instanceId, String instanceName, String privateIp,
                                         String availabilityZone, boolean simulated, String commitId,
                                         String buildId, InstanceRequest request, Map<String, String> outputs) {
        return new InstanceProvisioned(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, instanceId,
                instanceName, privateIp, availabilityZone, simulated, commitId, buildId, request, outputs);
    }

    public static InstanceProvisioned of(String requestId, String instanceId, String instanceName, String privateIp,
                                         String availabilityZone, boolean simulated, String commitId,
                                         String buildId, InstanceRequest request) {
        return of(requestId, instanceId, instanceName, privateIp, availabilityZone, simulated, commitId, buildId,
                request, Map.of());
    }
}
