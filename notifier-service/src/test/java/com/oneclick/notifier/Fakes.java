package com.oneclick.notifier;

import com.oneclick.testsupport.MutableClock;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.notifier.mail.MailComposer;
import com.oneclick.notifier.mail.MailTemplates;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** In-memory stand-ins for the use case's ports, for unit tests of the use case and its schedule; safe for several sender threads. */
final class Fakes {

    final Mail mail = new Mail();
    final Sent sent = new Sent();
    final Box outbox = new Box();
    final Letters deadLetters = new Letters();
    final List<NotificationSent> announced = Collections.synchronizedList(new ArrayList<>());
    final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));
    volatile RuntimeException announceFailure;

    final Notifications notifications = new Notifications(
            new MailComposer(MailTemplates.fromClasspath(), "http://127.0.0.1:8081/approvals"), sent, outbox,
            deadLetters, mail, this::announce, clock);

    /** Like the broker: the acknowledgement (or the failure) comes through the returned stage. */
    private CompletionStage<?> announce(NotificationSent event) {
        RuntimeException failure = announceFailure;
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        announced.add(event);
        return CompletableFuture.completedFuture(null);
    }

    static RecordOrigin origin(RequestEvent event, long offset) {
        return new RecordOrigin(event.type().topic(), 0, offset, 0L, event.requestId().getBytes(StandardCharsets.UTF_8),
                ("{\"eventId\":\"" + event.eventId() + "\"}").getBytes(StandardCharsets.UTF_8), List.of());
    }

    /** A mail server that answers with the scripted failures first, then accepts. */
    static final class Mail implements MailGateway {
        final List<OutgoingMail> sent = new ArrayList<>();
        final Deque<MailDeliveryException.Failure> script = new ArrayDeque<>();
        final Map<String, MailDeliveryException.Failure> byRecipient = new HashMap<>();
        int attempts;

        @Override
        public synchronized void send(OutgoingMail mail) {
            attempts++;
            MailDeliveryException.Failure failure = byRecipient.get(mail.recipient());
            if (failure == null) {
                failure = script.poll();
            }
            if (failure != null) {
                throw new MailDeliveryException(failure, "scripted " + failure, null);
            }
            sent.add(mail);
        }
    }

    static final class Sent implements SentNotifications {
        final Map<MailId, State> states = new HashMap<>();

        @Override
        public synchronized State state(MailId mail) {
            return states.getOrDefault(mail, State.NONE);
        }

        @Override
        public synchronized void markMailed(MailId mail, UUID sourceEventId) {
            states.put(mail, State.MAILED);
        }

        @Override
        public synchronized void markAnnounced(MailId mail, UUID sourceEventId) {
            states.put(mail, State.ANNOUNCED);
        }
    }

    static final class Box implements Outbox {
        final Map<UUID, QueuedMail> pending = new LinkedHashMap<>();
        final List<UUID> sent = new ArrayList<>();
        final List<UUID> dead = new ArrayList<>();

        @Override
        public synchronized void enqueue(QueuedMail mail) {
            pending.put(mail.id(), mail);
        }

        @Override
        public synchronized List<QueuedMail> pending() {
            return List.copyOf(pending.values());
        }

        @Override
        public synchronized boolean isPending(MailId mailId) {
            return pending.values().stream().anyMatch(m -> m.mailId().equals(mailId));
        }

        @Override
        public synchronized void markSent(UUID id) {
            pending.remove(id);
            sent.add(id);
        }

        @Override
        public synchronized void markDeadLettered(UUID id) {
            pending.remove(id);
            dead.add(id);
        }
    }

    static final class Letters implements DeadLetters {
        final List<DeadLetter> sent = new ArrayList<>();
        final List<String> memory = new ArrayList<>();
        RuntimeException failure;

        @Override
        public synchronized boolean contains(RecordOrigin origin, String subject) {
            return memory.contains(origin.position() + ' ' + subject);
        }

        @Override
        public synchronized void send(RecordOrigin origin, DeadLetter letter) {
            if (failure != null) {
                throw failure;
            }
            sent.add(letter);
            memory.add(origin.position() + ' ' + letter.subject());
        }
    }

}
