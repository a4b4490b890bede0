package com.oneclick.approval.queue;

import com.oneclick.model.InstanceRequest;

import java.util.Locale;

/**
 * The authenticated person deciding.
 *
 * @param email their configured email address, or null when none is configured (then their own
 *              requests cannot be recognised)
 */
public record Approver(String username, String email) {

    /** True when the request was submitted with this approver's email address. */
    public boolean submitted(InstanceRequest request) {
        return email != null && request != null && request.requesterEmail() != null
                && email.strip().toLowerCase(Locale.ROOT)
                .equals(request.requesterEmail().strip().toLowerCase(Locale.ROOT));
    }
}
