package com.oneclick.approval.queue;

/** The request has its decision already; a request is decided once. */
public class AlreadyDecidedException extends RuntimeException {

    private final transient Approval current;

    public AlreadyDecidedException(Approval current) {
        super("Request " + current.requestId() + " was already " + current.status().name().toLowerCase()
                + " by " + current.decidedBy() + ".");
        this.current = current;
    }

    public Approval current() {
        return current;
    }
}
