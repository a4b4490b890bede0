package com.oneclick.notifier;

import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.notifier.mail.MailComposer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * The use case: one event in, at most one email out per (request, notification kind), then a
 * NotificationSent. Knows its ports only, never Kafka, SMTP or files.
 *
 * <p>Order of the steps: send the email, record it, publish NotificationSent, record that. A crash
 * after the mail server accepted the email but before it was recorded repeats that one email on
 * redelivery; no email is ever lost. A crash after recording but before the publication only
 * publishes on redelivery.
 */
public final class Notifications {

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    private final MailComposer composer;
    private final MailGateway mail;
    private final SentNotifications sent;
    private final NotificationEvents events;
    private final RetryPolicy retry;
    private final RetryPolicy.Sleeper sleeper;

    public Notifications(MailComposer composer, MailGateway mail, SentNotifications sent, NotificationEvents events,
                         RetryPolicy retry, RetryPolicy.Sleeper sleeper) {
        this.composer = composer;
        this.mail = mail;
        this.sent = sent;
        this.events = events;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    /**
     * Handles one event. Returns normally when the email went out (now or before) or the event
     * calls for none.
     *
     * @throws MailDeliveryException when the mail server did not accept the email after the bounded
     *                               retries: nothing was recorded, the event must be delivered again
     */
    public void handle(RequestEvent event) {
        Optional<NotificationKind> found = NotificationKind.forEvent(event);
        if (found.isEmpty()) {
            LOG.debug("No email for {} of request {}", event.type().wireName(), event.requestId());
            return;
        }
        NotificationKind kind = found.get();
        String requestId = event.requestId();
        SentNotifications.State state = sent.state(requestId, kind);
        if (state == SentNotifications.State.ANNOUNCED) {
            LOG.info("{} email for request {} already sent; event {} ignored", kind, requestId, event.eventId());
            return;
        }
        OutgoingMail outgoing = composer.compose(kind, event);
        if (state == SentNotifications.State.NONE) {
            deliver(outgoing, kind, requestId);
            sent.markMailed(requestId, kind, event.eventId());
            LOG.info("{} email for request {} accepted by the mail server", kind, requestId);
        } else {
            LOG.info("{} email for request {} was sent before; publishing its NotificationSent", kind, requestId);
        }
        events.announce(NotificationSent.of(requestId, kind.name(), event.eventId(), outgoing.recipient()));
        sent.markAnnounced(requestId, kind, event.eventId());
    }

    private void deliver(OutgoingMail outgoing, NotificationKind kind, String requestId) {
        for (int attempt = 1; ; attempt++) {
            try {
                mail.send(outgoing);
                return;
            } catch (MailDeliveryException e) {
                if (attempt >= retry.maxAttempts()) {
                    LOG.warn("{} email for request {} not accepted after {} attempts ({}); "
                            + "the event stays unacknowledged and will be delivered again",
                            kind, requestId, attempt, e.getMessage());
                    throw e;
                }
                Duration wait = retry.backoffAfter(attempt);
                LOG.warn("{} email for request {} not accepted (attempt {} of {}): {}; retrying in {} ms",
                        kind, requestId, attempt, retry.maxAttempts(), e.getMessage(), wait.toMillis());
                pause(wait, e);
            }
        }
    }

    private void pause(Duration wait, MailDeliveryException failure) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }
}
