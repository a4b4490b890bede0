package com.oneclick.approval.queue;

import com.oneclick.model.InstanceRequest;

import java.time.Instant;
import java.util.List;

/**
 * One request in the approvers' queue, as the API shows it. Immutable: each change makes a new one.
 *
 * @param submittedAt       when the request was submitted; null in the rare case that a later event
 *                          was read before the submission (they come from different topics)
 * @param decidedBy         who made the final decision: an approver's user name or {@code policy:<name>}
 * @param comment           the final approver's optional comment
 * @param reason            the reason for a rejection
 * @param policy            the policy that applies: it approved the request, set how many approvals
 *                          it needs, or rejected it ({@code expiry}); null when none did
 * @param requiredApprovals how many distinct approvals the request needs (0 when a policy approves it)
 * @param approvedBy        who has approved it so far (every approver once approved)
 * @param history           every step, oldest first
 */
public record Approval(String requestId, ApprovalStatus status, Instant submittedAt, InstanceRequest request,
                       String decidedBy, Instant decidedAt, String comment, String reason, String policy,
                       int requiredApprovals, List<String> approvedBy, List<HistoryEntry> history) {

    public Approval {
        approvedBy = List.copyOf(approvedBy);
        history = List.copyOf(history);
    }

    public boolean awaitsDecision() {
        return status == ApprovalStatus.PENDING;
    }

    /** When the request entered the queue, for ordering: its submission, else its first known step. */
    Instant queuedAt() {
        if (submittedAt != null) {
            return submittedAt;
        }
        return history.isEmpty() ? Instant.EPOCH : history.get(0).at();
    }
}
