package com.oneclick.approval.queue;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.catalog.Product;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One decision in the audit trail.
 *
 * @param decision       APPROVAL (one of several needed), APPROVED or REJECTED
 * @param by             an approver's user name, or {@code policy:<name>}
 * @param approvers      for APPROVED: every identity whose approval counted
 * @param requesterEmail who submitted the request
 * @param product        the request's product ({@code ec2-instance}, {@code aurora-mysql}, ...)
 * @param productTitle   the product's title in the catalog, e.g. "Aurora MySQL cluster"
 * @param instanceType   null for products without an instance type
 * @param parameters     the product's own settings (parameter name → value); empty for EC2
 */
public record AuditEntry(Instant at, String requestId, HistoryEntry.Step decision, String by, List<String> approvers,
                         String comment, String reason, String policy, String requesterEmail, String requestName,
                         String product, String productTitle, String instanceType, String vpcId,
                         Map<String, String> parameters, String eventId) {

    static AuditEntry of(Approval approval, HistoryEntry entry) {
        List<String> approvers = entry.step() == HistoryEntry.Step.APPROVED ? approval.approvedBy() : List.of();
        InstanceRequest request = approval.request();
        if (request == null) {
            return new AuditEntry(entry.at(), approval.requestId(), entry.step(), entry.by(), approvers,
                    entry.comment(), entry.reason(), entry.policy(), null, null, null, null, null, null, Map.of(),
                    entry.eventId());
        }
        return new AuditEntry(entry.at(), approval.requestId(), entry.step(), entry.by(), approvers, entry.comment(),
                entry.reason(), entry.policy(), request.requesterEmail(), request.name(), request.product(),
                request.catalogProduct().map(Product::title).orElse(request.product()), request.instanceType(),
                request.vpcId(), request.parameters(), entry.eventId());
    }
}
