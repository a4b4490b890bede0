package com.oneclick.notifier;

/**
 * Port: the dead-letter topics, and the durable memory of what went there, so that a replay of a
 * topic does not dead-letter the same record (or the same email of a record) a second time.
 */
public interface DeadLetters {

    /** The {@link DeadLetter#subject()} of a record that could not be read at all. */
    String WHOLE_RECORD = "record";

    /** Whether this record (same position, same content) was dead-lettered for this subject already. */
    boolean contains(RecordOrigin origin, String subject);

    /**
     * Publishes the record to its dead-letter topic with the reason, waits for the broker, then
     * remembers it. A crash between the two publishes it once more on the next try: a dead letter is
     * never lost, at worst doubled.
     */
    void send(RecordOrigin origin, DeadLetter letter);

    /**
     * Why a record (or one email of it) was given up.
     *
     * @param cause      {@code unreadable}, {@code mail-rejected} or {@code mail-gave-up}
     * @param subject    {@link #WHOLE_RECORD}, or the {@link MailId#slot()} of the email given up
     * @param message    the reason, for people
     * @param exception  the class name of the underlying error
     * @param recipient  the email's recipient; null for an unreadable record
     * @param attempts   delivery attempts made; 0 for an unreadable record
     */
    record DeadLetter(String cause, String subject, String message, String exception, String recipient,
                      int attempts) {

        public static final String UNREADABLE = "unreadable";
        public static final String MAIL_REJECTED = "mail-rejected";
        public static final String MAIL_GAVE_UP = "mail-gave-up";
    }
}
