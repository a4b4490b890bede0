package com.oneclick.approval.queue;

/** No request with this ID is in the queue. */
public class UnknownRequestException extends RuntimeException {

    public UnknownRequestException(String requestId) {
        super("There is no request " + requestId + ".");
    }
}
