package com.oneclick.notifier;

import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;

import java.util.Optional;

/**
 * Which email an event calls for. The name is the {@code notification} value of
 * {@link com.oneclick.model.events.NotificationSent} and part of the de-duplication key
 * ({@link MailId}). All kinds but {@link #APPROVAL_REQUESTED} go to the requester;
 * APPROVAL_REQUESTED goes to each approver the event names.
 */
public enum NotificationKind {

    RECEIVED,
    APPROVED,
    REJECTED,
    PROVISIONED,
    FAILED,
    APPROVAL_REQUESTED;

    /** The email an event calls for; empty for events that send none (progress, NotificationSent). */
    public static Optional<NotificationKind> forEvent(RequestEvent event) {
        if (event instanceof RequestSubmitted) {
            return Optional.of(RECEIVED);
        }
        if (event instanceof RequestApproved) {
            return Optional.of(APPROVED);
        }
        if (event instanceof RequestRejected) {
            return Optional.of(REJECTED);
        }
        if (event instanceof InstanceProvisioned) {
            return Optional.of(PROVISIONED);
        }
        if (event instanceof ProvisioningFailed) {
            return Optional.of(FAILED);
        }
        if (event instanceof ApprovalRequested) {
            return Optional.of(APPROVAL_REQUESTED);
        }
        return Optional.empty();
    }

    /** Whether this kind goes to the approvers (one email per approver and approval round). */
    public boolean toApprovers() {
        return this == APPROVAL_REQUESTED;
    }
}
