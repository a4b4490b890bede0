package com.oneclick.approval.queue;

import java.time.Instant;

/**
 * One step in a request's approval history.
 *
 * @param step              what happened
 * @param at                when (the event's time)
 * @param by                who: the requester's email for SUBMITTED, an approver's user name, or
 *                          {@code policy:<name>}; null for AWAITING_APPROVAL
 * @param comment           an approver's comment (APPROVAL, APPROVED)
 * @param reason            the reason of a rejection
 * @param policy            the policy that applied, if any
 * @param requiredApprovals for AWAITING_APPROVAL: how many distinct approvals the request needs
 * @param eventId           the event this step was read from
 */
public record HistoryEntry(Step step, Instant at, String by, String comment, String reason, String policy,
                           Integer requiredApprovals, String eventId) {

    /** In the order in which steps of one moment are listed. */
    public enum Step {
        /** The request was submitted (oneclick.requested). */
        SUBMITTED,
        /** One approval of several needed (recorded on oneclick.awaiting-approval). */
        APPROVAL,
        /** It waits for people to approve it; the approvers were asked (oneclick.awaiting-approval). */
        AWAITING_APPROVAL,
        /** The final approval (oneclick.approved). */
        APPROVED,
        /** The rejection (oneclick.rejected), by a person or by the expiry rule. */
        REJECTED
    }

    /** A decision an auditor looks for: an approval (partial or final) or a rejection. */
    public boolean isDecision() {
        return step == Step.APPROVAL || step == Step.APPROVED || step == Step.REJECTED;
    }
}
