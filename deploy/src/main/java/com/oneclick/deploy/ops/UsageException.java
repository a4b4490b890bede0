package com.oneclick.deploy.ops;

/** A bad command line: one line for the user, exit code 2, nothing was changed. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
