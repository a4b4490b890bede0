package com.oneclick.approval.policy;

/**
 * What a request needs before it is approved.
 *
 * @param policy    the policy that set it; null when no policy matched (one approval)
 * @param automatic the policy approves it on its own
 * @param approvals how many distinct people must approve (0 when automatic)
 */
public record Requirement(String policy, boolean automatic, int approvals) {

    /** No policy matched: one approver decides. */
    public static final Requirement ONE_APPROVER = new Requirement(null, false, 1);

    /** The identity recorded as the decider of an automatic approval: {@code policy:<name>}. */
    public String decider() {
        return ApprovalPolicies.decider(policy);
    }
}
