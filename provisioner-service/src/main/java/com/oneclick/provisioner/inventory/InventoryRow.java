package com.oneclick.provisioner.inventory;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request in the inventory: the request's fields, where it stands, and what provisioning
 * produced. Immutable; each step returns a new row with {@code updatedAt} moved on.
 *
 * <p>{@code outcomePublishedAt} is set once the broker acknowledged the final event
 * (InstanceProvisioned or ProvisioningFailed), so a replay knows nothing is left to do.
 */
public record InventoryRow(
        String requestId,
        RowStatus status,
        String name,
        String requesterEmail,
        String region,
        String vpcId,
        String subnetId,
        String instanceType,
        String amiId,
        String keyName,
        Integer rootVolumeGiB,
        List<String> securityGroupIds,
        Map<String, String> tags,
        String approvedBy,
        String commitId,
        String buildId,
        String instanceId,
        String instanceName,
        String privateIp,
        String availabilityZone,
        String failureReason,
        Instant createdAt,
        Instant updatedAt,
        Instant outcomePublishedAt) {

    public InventoryRow {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(status, "status");
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** The first row of a request: its fields, who approved it, status APPROVED. */
    public static InventoryRow approved(String requestId, InstanceRequest request, String approvedBy, Instant now) {
        return new InventoryRow(requestId, RowStatus.APPROVED, request.name(), request.requesterEmail(),
                request.region(), request.vpcId(), request.subnetId(), request.instanceType(), request.amiId(),
                request.keyName(), request.rootVolumeGiB(), request.securityGroupIds(), request.tags(), approvedBy,
                null, null, null, null, null, null, null, now, now, null);
    }

    /** The request this row was made from. */
    public InstanceRequest request() {
        return new InstanceRequest(name, requesterEmail, region, vpcId, subnetId, instanceType, amiId, keyName,
                rootVolumeGiB, securityGroupIds, tags);
    }

    public InventoryRow pushed(String commit, Instant now) {
        return new InventoryRow(requestId, RowStatus.PUSHED, name, requesterEmail, region, vpcId, subnetId,
                instanceType, amiId, keyName, rootVolumeGiB, securityGroupIds, tags, approvedBy, commit, buildId,
                instanceId, instanceName, privateIp, availabilityZone, failureReason, createdAt, now,
                outcomePublishedAt);
    }

    public InventoryRow building(String build, Instant now) {
        return new InventoryRow(requestId, RowStatus.BUILDING, name, requesterEmail, region, vpcId, subnetId,
                instanceType, amiId, keyName, rootVolumeGiB, securityGroupIds, tags, approvedBy, commitId, build,
                instanceId, instanceName, privateIp, availabilityZone, failureReason, createdAt, now,
                outcomePublishedAt);
    }

    public InventoryRow provisioned(String instance, String instanceNameTag, String ip, String zone, Instant now) {
        return new InventoryRow(requestId, RowStatus.PROVISIONED, name, requesterEmail, region, vpcId, subnetId,
                instanceType, amiId, keyName, rootVolumeGiB, securityGroupIds, tags, approvedBy, commitId, buildId,
                instance, instanceNameTag, ip, zone, null, createdAt, now, outcomePublishedAt);
    }

    public InventoryRow failed(String reason, Instant now) {
        return new InventoryRow(requestId, RowStatus.FAILED, name, requesterEmail, region, vpcId, subnetId,
                instanceType, amiId, keyName, rootVolumeGiB, securityGroupIds, tags, approvedBy, commitId, buildId,
                instanceId, instanceName, privateIp, availabilityZone, reason, createdAt, now, outcomePublishedAt);
    }

    public InventoryRow outcomePublished(Instant now) {
        return new InventoryRow(requestId, status, name, requesterEmail, region, vpcId, subnetId, instanceType, amiId,
                keyName, rootVolumeGiB, securityGroupIds, tags, approvedBy, commitId, buildId, instanceId,
                instanceName, privateIp, availabilityZone, failureReason, createdAt, now, now);
    }
}
