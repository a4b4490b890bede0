package com.oneclick.model;

/** The Kafka topics of the flow. Every binding in every service refers to these names. */
public final class Topics {

    public static final String REQUESTED = "oneclick.requested";
    public static final String APPROVED = "oneclick.approved";
    public static final String REJECTED = "oneclick.rejected";
    /** A request waits for a person's approval (whom to ask); the notifier emails the approvers. */
    public static final String AWAITING_APPROVAL = "oneclick.awaiting-approval";
    /** Intermediate provisioning steps: the stack was pushed, the build started. */
    public static final String PROGRESS = "oneclick.progress";
    public static final String PROVISIONED = "oneclick.provisioned";
    public static final String FAILED = "oneclick.failed";
    public static final String NOTIFIED = "oneclick.notified";

    /** Suffix of a topic's dead-letter topic. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
