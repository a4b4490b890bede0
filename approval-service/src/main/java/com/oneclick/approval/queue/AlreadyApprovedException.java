package com.oneclick.approval.queue;

/** The approver approved this request already; a second approval must come from someone else. */
public class AlreadyApprovedException extends RuntimeException {

    public AlreadyApprovedException(String requestId, String approver, int approvals, int required) {
        super("You (" + approver + ") approved request " + requestId + " already; it needs " + required
                + " distinct approvers and has " + approvals + ". Another approver must give the next approval.");
    }
}
