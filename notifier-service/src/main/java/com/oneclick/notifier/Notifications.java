package com.oneclick.notifier;

import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.json.UnreadableEventException;
import com.oneclick.notifier.mail.MailComposer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The use case, in two halves that never wait for each other. Knows its ports only, never Kafka,
 * SMTP or files.
 * <ul>
 *   <li>{@link #accept}: one event in; every email it calls for that was neither sent, nor queued,
 *       nor dead-lettered for this very record goes into the {@link Outbox}. Nothing here talks to
 *       the mail server, so the consumer never waits for it.</li>
 *   <li>{@link #deliver} and {@link #confirm}: one try at a queued email: send it, record it,
 *       publish NotificationSent, record that; the acknowledgements and their records can be
 *       gathered for several emails at once. A crash after the mail server accepted the email but
 *       before it was recorded repeats that one email; no email is ever lost. A crash after recording
 *       but before the publication was recorded only publishes on the next try.</li>
 * </ul>
 * {@link MailDelivery} decides when to try and when to give up.
 */
public final class Notifications {

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    private final MailComposer composer;
    private final SentNotifications sent;
    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final MailGateway mail;
    private final NotificationEvents events;
    private final Clock clock;

    public Notifications(MailComposer composer, SentNotifications sent, Outbox outbox, DeadLetters deadLetters,
                         MailGateway mail, NotificationEvents events, Clock clock) {
        this.composer = composer;
        this.sent = sent;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.mail = mail;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Queues the emails an event calls for. Returns how many were queued.
     *
     * @throws UnreadableEventException when the event cannot be mailed at all (an approval request
     *                                  naming no approver, or an approver address that is not one)
     */
    public int accept(RequestEvent event, RecordOrigin origin) {
        Optional<NotificationKind> found = NotificationKind.forEvent(event);
        if (found.isEmpty()) {
            LOG.debug("No email for {} of request {}", event.type().wireName(), event.requestId());
            return 0;
        }
        int queued = 0;
        for (Map.Entry<MailId, OutgoingMail> planned : plan(found.get(), event).entrySet()) {
            MailId id = planned.getKey();
            if (sent.state(id) == SentNotifications.State.ANNOUNCED) {
                LOG.info("Email {} already sent; event {} from {} ignored", id, event.eventId(), origin.position());
            } else if (outbox.isPending(id)) {
                LOG.info("Email {} already waiting in the outbox; event {} from {} ignored", id, event.eventId(),
                        origin.position());
            } else if (deadLetters.contains(origin, id.slot())) {
                LOG.info("Email {} of record {} was dead-lettered before; not queued again", id, origin.position());
            } else {
                outbox.enqueue(new QueuedMail(UUID.randomUUID(), id, event.eventId(), planned.getValue(), origin,
                        clock.instant()));
                LOG.info("Email {} queued (event {} from {})", id, event.eventId(), origin.position());
                queued++;
            }
        }
        return queued;
    }

    /** Dead-letters a record that cannot be read, unless this very record went there before. */
    public void refuse(RecordOrigin origin, UnreadableEventException reason) {
        if (deadLetters.contains(origin, DeadLetters.WHOLE_RECORD)) {
            LOG.info("Unreadable record {} was dead-lettered before; skipped", origin.position());
            return;
        }
        String message = reason.getMessage() == null ? reason.getClass().getName() : reason.getMessage();
        deadLetters.send(origin, new DeadLetters.DeadLetter(DeadLetters.DeadLetter.UNREADABLE,
                DeadLetters.WHOLE_RECORD, message, reason.getClass().getName(), null, 0));
    }

    /**
     * One try at a queued email, start to end: {@link #deliver} then {@link #confirm}. Returns normally
     * when it went out and was announced (now or before).
     *
     * @throws MailDeliveryException when the mail server did not accept it: nothing was recorded
     */
    public void attempt(QueuedMail queued) {
        Map<UUID, RuntimeException> failed = confirm(List.of(deliver(queued)));
        if (!failed.isEmpty()) {
            throw failed.values().iterator().next();
        }
    }

    /**
     * First half of a try: sends the email unless the sent log has it, records it (fsynced), and starts
     * publishing its NotificationSent without waiting for the broker. Hand the result to
     * {@link #confirm}, alone or with others. A crash after the mail server accepted the email but
     * before it was recorded repeats that one email; a crash before {@link #confirm} recorded the
     * announcement only publishes NotificationSent again on the next try, never the email.
     *
     * @throws MailDeliveryException when the mail server did not accept it: nothing was recorded
     */
    public Delivered deliver(QueuedMail queued) {
        MailId id = queued.mailId();
        SentNotifications.State state = sent.state(id);
        if (state == SentNotifications.State.ANNOUNCED) {
            LOG.info("Email {} was sent and announced before; nothing to do", id);
            return new Delivered(queued, null, false);
        }
        boolean mailedNow = state == SentNotifications.State.NONE;
        if (mailedNow) {
            mail.send(queued.mail());
            sent.markMailed(id, queued.sourceEventId());
            LOG.info("Email {} accepted by the mail server", id);
        } else {
            LOG.info("Email {} was sent before; publishing its NotificationSent", id);
        }
        CompletionStage<?> ack;
        try {
            ack = events.announce(NotificationSent.of(id.requestId(), id.kind().name(), queued.sourceEventId(),
                    queued.mail().recipient()));
        } catch (RuntimeException e) {
            ack = CompletableFuture.failedFuture(e);
        }
        return new Delivered(queued, ack, mailedNow);
    }

    /**
     * Second half: waits for the broker's acknowledgement of each NotificationSent, then records every
     * acknowledged one in the sent log in one durable write. Returns the emails whose announcement
     * failed (by outbox id), with the reason; they are mailed already and only need announcing again.
     */
    public Map<UUID, RuntimeException> confirm(List<Delivered> delivered) {
        Map<UUID, RuntimeException> failed = new LinkedHashMap<>();
        Map<MailId, UUID> announced = new LinkedHashMap<>();
        for (Delivered one : delivered) {
            if (one.ack() == null) {
                continue;
            }
            try {
                one.ack().toCompletableFuture().join();
                announced.put(one.mail().mailId(), one.mail().sourceEventId());
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                failed.put(one.mail().id(), cause instanceof RuntimeException r ? r
                        : new IllegalStateException("NotificationSent not acknowledged: " + cause, cause));
            }
        }
        try {
            sent.markAnnounced(announced);
        } catch (RuntimeException e) {
            for (Delivered one : delivered) {
                if (announced.containsKey(one.mail().mailId())) {
                    failed.put(one.mail().id(), e);
                }
            }
        }
        return failed;
    }

    /**
     * An email the mail server has (now or before), with the broker's pending acknowledgement of its
     * NotificationSent; {@code ack} is null when it was announced before. {@code mailedNow}: the mail
     * server took it in this very try (rather than before).
     */
    public record Delivered(QueuedMail mail, CompletionStage<?> ack, boolean mailedNow) {
    }

    private Map<MailId, OutgoingMail> plan(NotificationKind kind, RequestEvent event) {
        Map<MailId, OutgoingMail> mails = new LinkedHashMap<>();
        if (!kind.toApprovers()) {
            mails.put(MailId.toRequester(event.requestId(), kind), composer.compose(kind, event));
            return mails;
        }
        ApprovalRequested request = (ApprovalRequested) event;
        // EventJson checked the addresses (RequestValidator's rule) when it read the event
        List<String> addresses = request.approverEmails();
        int round = request.approvedBy().size();
        for (String address : addresses) {
            MailId id = MailId.toApprover(event.requestId(), round, address.toLowerCase(Locale.ROOT));
            mails.putIfAbsent(id, composer.composeForApprover(request, address));
        }
        return mails;
    }
}
