package com.oneclick.approval.security;

import com.oneclick.approval.queue.Approver;
import org.springframework.security.core.Authentication;

/** Who the authenticated caller is, as the decisions need it: a user name and an email. */
@FunctionalInterface
public interface ApproverIdentity {

    Approver of(Authentication authentication);
}
