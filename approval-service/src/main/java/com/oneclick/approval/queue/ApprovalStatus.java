package com.oneclick.approval.queue;

/** A request waits for a decision, or has its one decision. */
public enum ApprovalStatus {
    PENDING, APPROVED, REJECTED
}
