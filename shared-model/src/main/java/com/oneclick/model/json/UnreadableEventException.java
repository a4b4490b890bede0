package com.oneclick.model.json;

/**
 * A record that can never be processed as it is: bad JSON, an unknown type or schema version, or
 * content that breaks the rules. Permanent: it goes to the dead-letter topic, it is not retried.
 */
public class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String message) {
        super(message);
    }

    public UnreadableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
