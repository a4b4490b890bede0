package com.oneclick.notifier;

/** The mail server did not accept a message. {@link #failure()} says whether retrying can help. */
public class MailDeliveryException extends RuntimeException {

    /** How a delivery failed. */
    public enum Failure {
        /** The server could not be reached or is not serving (refused, timed out, 421, login failed): retry later; every other email would fail the same way meanwhile. */
        SERVER_UNAVAILABLE,
        /** The server answered with a temporary refusal (4xx) for this message: retry this one later. */
        DEFERRED,
        /** The server refused this message for good (5xx), or the message cannot be sent at all: do not retry. */
        REJECTED;

        public boolean permanent() {
            return this == REJECTED;
        }
    }

    private final Failure failure;

    public MailDeliveryException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
