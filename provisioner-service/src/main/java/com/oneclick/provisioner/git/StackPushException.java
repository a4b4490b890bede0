package com.oneclick.provisioner.git;

/** The infrastructure repository could not be updated (push refused, remote unreachable, conflict). */
public class StackPushException extends RuntimeException {

    public StackPushException(String message, Throwable cause) {
        super(message, cause);
    }
}
