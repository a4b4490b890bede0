package com.oneclick.deploy.ops;

/** The command was understood but cannot be carried out (live members, broker down): exit code 1. */
final class OpsException extends RuntimeException {

    OpsException(String message) {
        super(message);
    }

    OpsException(String message, Throwable cause) {
        super(message, cause);
    }
}
