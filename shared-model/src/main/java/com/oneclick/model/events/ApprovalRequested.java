package com.oneclick.model.events;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The request waits for a person's approval: approval-service tells the notifier whom to ask.
 * {@code approverEmails} are the addresses of the approvers who may decide it (never the requester);
 * {@code requiredApprovals} is how many distinct approvals it needs, {@code approvedBy} who has
 * approved so far, {@code policy} the policy that set the requirement (null when none did), and
 * {@code comment} what the last of {@code approvedBy} wrote when approving (null when nothing).
 */
public record ApprovalRequested(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                                List<String> approverEmails, int requiredApprovals, List<String> approvedBy,
                                String policy, String comment, InstanceRequest request)
        implements RequestEvent, CarriesRequest {

    public ApprovalRequested {
        approverEmails = approverEmails == null ? List.of() : List.copyOf(approverEmails);
        approvedBy = approvedBy == null ? List.of() : List.copyOf(approvedBy);
    }

    /** A request that waits for its first approval. */
    public static ApprovalRequested of(String requestId, List<String> approverEmails, int requiredApprovals,
                                       List<String> approvedBy, String policy, InstanceRequest request) {
        return of(requestId, approverEmails, requiredApprovals, approvedBy, policy, null, request);
    }

    public static ApprovalRequested of(String requestId, List<String> approverEmails, int requiredApprovals,
                                       List<String> approvedBy, String policy, String comment,
                                       InstanceRequest request) {
        return new ApprovalRequested(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, approverEmails,
                requiredApprovals, approvedBy, policy, comment, request);
    }
}
