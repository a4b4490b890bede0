package com.oneclick.approval.queue;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;

/**
 * One request in the approvers' queue, as the API shows it. Immutable: a decision makes a new one.
 *
 * @param submittedAt when the request was submitted; null in the rare case that a decision was read
 *                    before the submission (they come from different topics)
 * @param decidedBy   the approver's user name, once decided
 * @param comment     the approver's optional comment on an approval
 * @param reason      the approver's reason for a rejection
 */
public record Approval(String requestId, ApprovalStatus status, Instant submittedAt, InstanceRequest request,
                       String decidedBy, Instant decidedAt, String comment, String reason) {

    static Approval pending(String requestId, Instant submittedAt, InstanceRequest request) {
        return new Approval(requestId, ApprovalStatus.PENDING, submittedAt, request, null, null, null, null);
    }

    static Approval approved(String requestId, Instant submittedAt, InstanceRequest request, String by, Instant at,
                             String comment) {
        return new Approval(requestId, ApprovalStatus.APPROVED, submittedAt, request, by, at, comment, null);
    }

    static Approval rejected(String requestId, Instant submittedAt, InstanceRequest request, String by, Instant at,
                             String reason) {
        return new Approval(requestId, ApprovalStatus.REJECTED, submittedAt, request, by, at, null, reason);
    }

    public boolean awaitsDecision() {
        return status == ApprovalStatus.PENDING;
    }

    Approval withSubmittedAt(Instant at) {
        return new Approval(requestId, status, at, request, decidedBy, decidedAt, comment, reason);
    }

    /** When the request entered the queue, for ordering: its submission, else its decision. */
    Instant queuedAt() {
        return submittedAt != null ? submittedAt : decidedAt;
    }
}
