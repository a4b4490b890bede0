package com.oneclick.spring;

/** The request conflicts with the resource's state (e.g. already decided); answered with 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
