package com.oneclick.approval.queue;

import java.time.Instant;
import java.util.List;

/**
 * One decision in the audit trail.
 *
 * @param decision       APPROVAL (one of several needed), APPROVED or REJECTED
 * @param by             an approver's user name, or {@code policy:<name>}
 * @param approvers      for APPROVED: every identity whose approval counted
 * @param requesterEmail who submitted the request
 */
public record AuditEntry(Instant at, String requestId, HistoryEntry.Step decision, String by, List<String> approvers,
                         String comment, String reason, String policy, String requesterEmail, String requestName,
                         String instanceType, String vpcId, String eventId) {

    static AuditEntry of(Approval approval, HistoryEntry entry) {
        List<String> approvers = entry.step() == HistoryEntry.Step.APPROVED ? approval.approvedBy() : List.of();
        var request = approval.request();
        return new AuditEntry(entry.at(), approval.requestId(), entry.step(), entry.by(), approvers, entry.comment(),
                entry.reason(), entry.policy(), request == null ? null : request.requesterEmail(),
                request == null ? null : request.name(), request == null ? null : request.instanceType(),
                request == null ? null : request.vpcId(), entry.eventId());
    }
}
