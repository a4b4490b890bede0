package com.oneclick.approval.queue;

/** An approver tried to approve a request they submitted themselves. */
public class SelfApprovalException extends RuntimeException {

    public SelfApprovalException(String requestId) {
        super("Nobody may approve their own request: " + requestId + " was submitted with your email address.");
    }
}
