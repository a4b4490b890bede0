package com.oneclick.notifier;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.notifier.MailDeliveryException.Failure;
import com.oneclick.notifier.mail.MailComposer;
import com.oneclick.notifier.mail.MailTemplates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.request;
import static com.oneclick.notifier.TestEvents.requesterOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Several sender workers sharing one outbox: order per request, no email twice, one probe at a time. */
class ConcurrentDeliveryTest {

    private static final int WORKERS = 4;
    private static final RetryPolicy RETRY = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(4),
            Duration.ofHours(1));

    private final Fakes fakes = new Fakes();
    private final MailDelivery delivery = newDelivery();
    private long offset;

    @Test
    void eachRequestsEmailsGoInOrderWhileWorkersSendOnTheirOwnThreads() throws Exception {
        // given: 40 requests with three emails each, and a mail server that lets other threads run mid-send
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(queueThreeEmails());
        }
        Set<String> senderThreads = ConcurrentHashMap.newKeySet();
        MailGateway yielding = mail -> {
            senderThreads.add(Thread.currentThread().getName());
            Thread.yield();
            fakes.mail.send(mail);
        };
        Notifications notifications = new Notifications(composer(), fakes.sent, fakes.outbox, fakes.deadLetters,
                yielding, event -> {
                    fakes.announced.add(event);
                    return CompletableFuture.completedFuture(null);
                }, fakes.clock);
        MailDelivery concurrent = new MailDelivery(fakes.outbox, notifications, fakes.deadLetters, RETRY, fakes.clock,
                WORKERS);

        // when: one thread per worker, as the service runs them
        ExecutorService threads = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int worker = 0; worker < WORKERS; worker++) {
                int mine = worker;
                running.add(threads.submit(() -> {
                    while (concurrent.runDue(mine).isPresent()) {
                        Thread.yield();
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }

        // then: every email once, in order per request, each announced once, sent by several threads
        assertThat(fakes.mail.sent).hasSize(120);
        Map<String, List<String>> subjects = fakes.mail.sent.stream().collect(Collectors.groupingBy(
                OutgoingMail::recipient, Collectors.mapping(OutgoingMail::subject, Collectors.toList())));
        for (String requestId : requests) {
            assertThat(subjects.get(requesterOf(requestId))).satisfiesExactly(
                    s -> assertThat(s).contains("received"),
                    s -> assertThat(s).contains("approved"),
                    s -> assertThat(s).contains("ready"));
        }
        assertThat(fakes.announced).hasSize(120);
        assertThat(fakes.outbox.pending()).isEmpty();
        assertThat(senderThreads).hasSize(WORKERS);
    }

    @Test
    void deferredEmailHoldsBackTheLaterEmailsOfItsRequestOnly() {
        // given: the first email of one request is deferred once
        String held = queueThreeEmails();
        String other = queueOne(provisioned(newRequestId(), "other-1", true));
        fakes.mail.script.add(Failure.DEFERRED);
        MailDelivery single = new MailDelivery(fakes.outbox, fakes.notifications, fakes.deadLetters, RETRY,
                fakes.clock, 1);

        // when
        single.runDue();

        // then: the other request's email went; the deferred request's later emails wait behind it
        assertThat(fakes.mail.sent).extracting(OutgoingMail::recipient).containsExactly(requesterOf(other));

        // when: the deferral is over
        fakes.clock.advance(Duration.ofSeconds(1));
        single.runDue();

        // then: all three, in their order
        List<OutgoingMail> later = fakes.mail.sent.subList(1, fakes.mail.sent.size());
        assertThat(later).extracting(OutgoingMail::recipient).containsOnly(requesterOf(held));
        assertThat(later).extracting(OutgoingMail::subject).satisfiesExactly(
                s -> assertThat(s).contains("received"),
                s -> assertThat(s).contains("approved"),
                s -> assertThat(s).contains("ready"));
    }

    @Test
    void brokerDownWhileAnnouncingSendsNoEmailTwiceAcrossWorkersAndARestart() {
        // given: 8 requests' emails, and a broker that does not acknowledge NotificationSent
        for (int i = 0; i < 8; i++) {
            queueThreeEmails();
        }
        fakes.announceFailure = new IllegalStateException("broker not available");

        // when: every worker sends its emails, none can be announced
        delivery.runDue();

        // then: each email went once and stays queued for its announcement
        assertThat(fakes.mail.sent).hasSize(24);
        assertThat(fakes.announced).isEmpty();
        assertThat(fakes.outbox.pending()).hasSize(24);

        // when: the service restarts (schedules are lost) and the broker is back
        fakes.announceFailure = null;
        MailDelivery restarted = newDelivery();
        restarted.runDue();

        // then: announced now, no email sent again
        assertThat(fakes.mail.attempts).isEqualTo(24);
        assertThat(fakes.mail.sent).hasSize(24);
        assertThat(fakes.announced).hasSize(24);
        assertThat(fakes.outbox.pending()).isEmpty();
        assertThat(fakes.deadLetters.sent).isEmpty();
    }

    @Test
    void mailServerDownMakesEveryWorkerWaitAndOnlyOneProbeGoesPerBackoff() {
        // given: emails for every worker, a mail server down for two attempts
        for (int i = 0; i < 12; i++) {
            queueOne(provisioned(newRequestId(), "down-" + i, true));
        }
        assertThat(fakes.outbox.pending().stream().map(q -> delivery.workerOf(q.mailId().requestId())).distinct())
                .as("workers with emails").hasSizeGreaterThan(1);
        fakes.mail.script.add(Failure.SERVER_UNAVAILABLE);
        fakes.mail.script.add(Failure.SERVER_UNAVAILABLE);

        // when: every worker runs, twice, before the backoff is over
        delivery.runDue();
        delivery.runDue();

        // then: one attempt in all
        assertThat(fakes.mail.attempts).isEqualTo(1);

        // when: the backoff (1 s) is over: one probe, still down
        fakes.clock.advance(Duration.ofSeconds(1));
        delivery.runDue();

        // then
        assertThat(fakes.mail.attempts).isEqualTo(2);

        // when: the next backoff (2 s) is over and the server is back
        fakes.clock.advance(Duration.ofSeconds(2));
        delivery.runDue();

        // then: everything goes, each email once
        assertThat(fakes.mail.sent).hasSize(12);
        assertThat(fakes.mail.attempts).isEqualTo(14);
        assertThat(fakes.outbox.pending()).isEmpty();
    }

    @Test
    void attemptsUnderWayWhenTheServerGoesAwayGrowTheBackoffOnce() {
        // given: two workers' attempts started while the server looked healthy
        MailServerGate gate = new MailServerGate(RETRY);
        Instant now = fakes.clock.instant();
        MailServerGate.Ticket first = gate.enter(now);
        MailServerGate.Ticket second = gate.enter(now);
        MailDeliveryException down = new MailDeliveryException(Failure.SERVER_UNAVAILABLE, "refused", null);

        // when: both find it down
        gate.unavailable(first, now, down);
        gate.unavailable(second, now, down);

        // then: one backoff step (1 s), not two
        assertThat(gate.pausedUntil(now)).contains(now.plusSeconds(1));

        // when: the pause is over: one probe at a time
        Instant later = now.plusSeconds(1);
        MailServerGate.Ticket probe = gate.enter(later);
        MailServerGate.Ticket other = gate.enter(later);

        // then
        assertThat(probe.refusedUntil()).isNull();
        assertThat(probe.probe()).isTrue();
        assertThat(other.refusedUntil()).isNotNull();

        // when: the probe gets through
        gate.answered(probe, true);

        // then: everybody may send again
        assertThat(gate.enter(later).refusedUntil()).isNull();
        assertThat(gate.enter(later).refusedUntil()).isNull();
    }

    private MailDelivery newDelivery() {
        return new MailDelivery(fakes.outbox, fakes.notifications, fakes.deadLetters, RETRY, fakes.clock, WORKERS);
    }

    private static MailComposer composer() {
        return new MailComposer(MailTemplates.fromClasspath(),
                "http://127.0.0.1:8081/approvals");
    }

    /** Queues a request's received, approved and ready emails, in that order; returns its ID. */
    private String queueThreeEmails() {
        String id = newRequestId();
        InstanceRequest request = request("web-" + offset, requesterOf(id));
        queueOne(RequestSubmitted.of(id, request));
        queueOne(RequestApproved.of(id, "alice", null, request));
        queueOne(provisioned(id, "web-" + offset, true));
        return id;
    }

    private String queueOne(RequestEvent event) {
        fakes.notifications.accept(event, Fakes.origin(event, offset++));
        return event.requestId();
    }
}
