package com.oneclick.notifier;

import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;

import java.util.Optional;

/**
 * Which email a requester gets. The name is the {@code notification} value of
 * {@link com.oneclick.model.events.NotificationSent} and the key of the de-duplication record.
 */
public enum NotificationKind {

    RECEIVED,
    APPROVED,
    REJECTED,
    PROVISIONED,
    FAILED;

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
        return Optional.empty();
    }
}
