package com.oneclick.notifier;

import java.util.Map;
import java.util.UUID;

/**
 * Port: the durable memory of which emails went out, one entry per {@link MailId}. Two steps per
 * email, so a crash between them repeats as little as possible.
 */
public interface SentNotifications {

    enum State {
        /** Nothing sent yet. */
        NONE,
        /** The mail server accepted the email; NotificationSent may not have been published yet. */
        MAILED,
        /** The email went out and NotificationSent was acknowledged by the broker: nothing left to do. */
        ANNOUNCED
    }

    State state(MailId mail);

    /** Durably records that the mail server accepted the email answering {@code sourceEventId}. */
    void markMailed(MailId mail, UUID sourceEventId);

    /** Durably records that NotificationSent for this email was published. */
    void markAnnounced(MailId mail, UUID sourceEventId);

    /** Durably records that NotificationSent was published for each email (value: its source event): one durable write. */
    default void markAnnounced(Map<MailId, UUID> mails) {
        mails.forEach(this::markAnnounced);
    }
}
