package com.oneclick.deploy;

/**
 * Something the person running the stack can act on: a port in use, a process that did not come up.
 * The launcher prints the message (and the log tail, if any) without a stack trace.
 */
public class StartupException extends RuntimeException {

    private final String logTail;

    public StartupException(String message) {
        this(message, null, null);
    }

    public StartupException(String message, String logTail) {
        this(message, logTail, null);
    }

    public StartupException(String message, String logTail, Throwable cause) {
        super(message, cause);
        this.logTail = logTail;
    }

    /** The last lines of the log of the process that failed, or null. */
    public String logTail() {
        return logTail;
    }
}
