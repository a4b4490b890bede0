package com.oneclick.approval.queue;

/** The approver's identity carries no email, so their own requests cannot be recognised. */
public class NoEmailException extends RuntimeException {

    public NoEmailException(String approver) {
        super("Your identity (" + approver + ") has no email address, so your own requests cannot be told apart "
                + "from others'; approving is refused. Ask for an email to be configured for you.");
    }
}
