package com.oneclick.notifier;

/** The mail server did not accept a message (down, refused, timed out). Transient: worth retrying. */
public class MailDeliveryException extends RuntimeException {

    public MailDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
