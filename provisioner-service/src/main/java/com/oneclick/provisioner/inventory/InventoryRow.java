package com.oneclick.provisioner.inventory;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request in the inventory: the request as approved, where it stands, and what provisioning
 * produced. Immutable; each step returns a new row with {@code updatedAt} moved on.
 *
 * <p>The request is held whole, so a field added to {@link InstanceRequest} reaches the row
 * without touching it; only the inventory's file format and the stack writer decide what of it
 * they keep.
 *
 * <p>{@code instanceId} and {@code instanceName} are the resource's ID and Name whatever the product
 * (an Aurora cluster's identifier, for instance); {@code privateIp} and {@code availabilityZone} are
 * set only for products with those outputs (EC2). {@code outputs} holds every output the product's
 * catalog entry lists, as text, in its order (empty until provisioned, and in rows recorded before
 * products existed).
 *
 * <p>{@code outcomePublishedAt} is set once the broker acknowledged the final event
 * (InstanceProvisioned or ProvisioningFailed), so a replay knows nothing is left to do.
 */
public record InventoryRow(
        String requestId,
        RowStatus status,
        InstanceRequest request,
        String approvedBy,
        String commitId,
        String buildId,
        String instanceId,
        String instanceName,
        String privateIp,
        String availabilityZone,
        Map<String, String> outputs,
        String failureReason,
        String failurePhase,
        Instant createdAt,
        Instant updatedAt,
        Instant outcomePublishedAt) {

    public InventoryRow {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(request, "request");
        outputs = outputs == null || outputs.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /** The first row of a request: the request, who approved it, status APPROVED. */
    public static InventoryRow approved(String requestId, InstanceRequest request, String approvedBy, Instant now) {
        return new InventoryRow(requestId, RowStatus.APPROVED, request, approvedBy, null, null, null, null, null, null,
                Map.of(), null, null, now, now, null);
    }

    public InventoryRow pushed(String commit, Instant now) {
        return next(RowStatus.PUSHED, commit, buildId, instanceId, instanceName, privateIp, availabilityZone, outputs,
                failureReason, failurePhase, now, outcomePublishedAt);
    }

    public InventoryRow building(String build, Instant now) {
        return next(RowStatus.BUILDING, commitId, build, instanceId, instanceName, privateIp, availabilityZone, outputs,
                failureReason, failurePhase, now, outcomePublishedAt);
    }

    /**
     * The build applied the stack: the resource's ID and Name, the private IP and zone (null for products
     * without them), and every output of the product as text.
     */
    public InventoryRow provisioned(String instance, String instanceNameTag, String ip, String zone,
                                    Map<String, String> productOutputs, Instant now) {
        return next(RowStatus.PROVISIONED, commitId, buildId, instance, instanceNameTag, ip, zone, productOutputs, null,
                null, now, outcomePublishedAt);
    }

    /** The build (or the push) failed: {@code phase} is where, {@code reason} what the tool said. */
    public InventoryRow failed(String phase, String reason, Instant now) {
        return next(RowStatus.FAILED, commitId, buildId, instanceId, instanceName, privateIp, availabilityZone, outputs,
                reason, phase, now, outcomePublishedAt);
    }

    /**
     * When the resource expires: the recorded approval time (to the second) plus the request's
     * time-to-live; null when the request has none. The same for every version of the row.
     */
    public Instant expiresAt() {
        Integer hours = request.timeToLiveHours();
        return hours == null || createdAt == null ? null
                : createdAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(java.time.Duration.ofHours(hours));
    }

    /** True while the row has work left: not final, or its outcome not yet published. */
    public boolean unfinished() {
        return !status.isFinal() || outcomePublishedAt == null;
    }

    public InventoryRow outcomePublished(Instant now) {
        return next(status, commitId, buildId, instanceId, instanceName, privateIp, availabilityZone, outputs,
                failureReason, failurePhase, now, now);
    }

    /**
     * This row after a step: what the request was and who approved it when stay; the step's
     * status and results are given.
     */
    private InventoryRow next(RowStatus nextStatus, String nextCommitId, String nextBuildId, String nextInstanceId,
                              String nextInstanceName, String nextPrivateIp, String nextAvailabilityZone,
                              Map<String, String> nextOutputs, String nextFailureReason, String nextFailurePhase, Instant now,
                              Instant nextOutcomePublishedAt) {
        return new InventoryRow(requestId, nextStatus, request, approvedBy, nextCommitId, nextBuildId, nextInstanceId,
                nextInstanceName, nextPrivateIp, nextAvailabilityZone, nextOutputs, nextFailureReason, nextFailurePhase,
                createdAt, now, nextOutcomePublishedAt);
    }
}
