package com.oneclick.model.events;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The request is approved. {@code approvedBy} is who made the final decision: an approver's user
 * name, or {@code policy:<name>} when a configured policy approved it automatically.
 * {@code approvers} lists every identity whose approval counted (two when a policy asks for two
 * distinct approvers). {@code policy} names the policy that approved it or that set how many
 * approvals it needed; null when none applied. {@code comment} may be null.
 */
public record RequestApproved(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                              String approvedBy, String comment, String policy, List<String> approvers,
                              InstanceRequest request)
        implements RequestEvent, CarriesRequest {

    /** Events written before {@code approvers} existed read as approved by {@code approvedBy} alone. */
    public RequestApproved {
        if (approvers == null || approvers.isEmpty()) {
            approvers = approvedBy == null ? List.of() : List.of(approvedBy);
        } else {
            approvers = List.copyOf(approvers);
        }
    }

    /** One approver's decision, no policy involved. */
    public static RequestApproved of(String requestId, String approvedBy, String comment, InstanceRequest request) {
        return of(requestId, approvedBy, comment, null, List.of(approvedBy), request);
    }

    public static RequestApproved of(String requestId, String approvedBy, String comment, String policy,
                                     List<String> approvers, InstanceRequest request) {
        return new RequestApproved(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, approvedBy, comment,
                policy, approvers, request);
    }
}
