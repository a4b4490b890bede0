package com.oneclick.spring;

/** The broker did not acknowledge an event. Nothing was recorded as published. */
public class EventPublishException extends RuntimeException {

    public EventPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
