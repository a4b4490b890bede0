package com.oneclick.notifier;

import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.notifier.MailDeliveryException.Failure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.requesterOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The retry schedule, on a clock the test moves: no threads, no waiting. */
class MailDeliveryTest {

    private static final Duration GIVE_UP = Duration.ofMinutes(10);

    private final Fakes fakes = new Fakes();
    private final MailDelivery delivery = new MailDelivery(fakes.outbox, fakes.notifications, fakes.deadLetters,
            new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(4), GIVE_UP), fakes.clock);

    @Test
    void serverDownIsProbedWithGrowingBackoffAndEveryEmailGoesOnceItIsBack() {
        // given: two emails queued, the server down for three attempts
        InstanceProvisioned first = queue();
        InstanceProvisioned second = queue();
        fakes.mail.script.add(Failure.SERVER_UNAVAILABLE);
        fakes.mail.script.add(Failure.SERVER_UNAVAILABLE);
        fakes.mail.script.add(Failure.SERVER_UNAVAILABLE);
        Instant start = fakes.clock.instant();

        // when / then: one probe per backoff, not one per email; 1 s, 2 s, 4 s
        assertThat(delivery.runDue()).contains(start.plusSeconds(1));
        fakes.clock.advance(Duration.ofSeconds(1));
        assertThat(delivery.runDue()).contains(start.plusSeconds(3));
        fakes.clock.advance(Duration.ofSeconds(2));
        assertThat(delivery.runDue()).contains(start.plusSeconds(7));
        assertThat(fakes.mail.attempts).isEqualTo(3);
        assertThat(fakes.mail.sent).isEmpty();

        // when: the server is back
        fakes.clock.advance(Duration.ofSeconds(4));
        Optional<Instant> next = delivery.runDue();

        // then
        assertThat(next).isEmpty();
        assertThat(fakes.mail.sent).extracting(OutgoingMail::recipient)
                .containsExactly(requesterOf(first.requestId()), requesterOf(second.requestId()));
        assertThat(fakes.announced).hasSize(2);
        assertThat(fakes.deadLetters.sent).isEmpty();
        assertThat(delivery.failedAttempts()).isEqualTo(3);
    }

    @Test
    void rejectedEmailIsDeadLetteredAtOnceAndTheNextOneStillGoes() {
        // given
        InstanceProvisioned rejected = queue();
        InstanceProvisioned fine = queue();
        fakes.mail.byRecipient.put(requesterOf(rejected.requestId()), Failure.REJECTED);

        // when
        Optional<Instant> next = delivery.runDue();

        // then
        assertThat(next).isEmpty();
        assertThat(fakes.deadLetters.sent).singleElement().satisfies(letter -> {
            assertThat(letter.cause()).isEqualTo("mail-rejected");
            assertThat(letter.subject()).isEqualTo("PROVISIONED");
            assertThat(letter.recipient()).isEqualTo(requesterOf(rejected.requestId()));
            assertThat(letter.attempts()).isEqualTo(1);
            assertThat(letter.message()).contains("rejected", "scripted REJECTED");
        });
        assertThat(fakes.mail.sent).extracting(OutgoingMail::recipient).containsExactly(requesterOf(fine.requestId()));
        assertThat(fakes.outbox.pending()).isEmpty();
    }

    @Test
    void deferredEmailWaitsAloneWhileTheOthersGo() {
        // given
        InstanceProvisioned deferred = queue();
        InstanceProvisioned fine = queue();
        fakes.mail.script.add(Failure.DEFERRED);
        Instant start = fakes.clock.instant();

        // when
        Optional<Instant> next = delivery.runDue();

        // then
        assertThat(next).contains(start.plusSeconds(1));
        assertThat(fakes.mail.sent).extracting(OutgoingMail::recipient).containsExactly(requesterOf(fine.requestId()));

        // when
        fakes.clock.advance(Duration.ofSeconds(1));
        delivery.runDue();

        // then
        assertThat(fakes.mail.sent).extracting(OutgoingMail::recipient)
                .containsExactly(requesterOf(fine.requestId()), requesterOf(deferred.requestId()));
    }

    @Test
    void emailStillFailingWhenItsTimeIsUpIsDeadLetteredWithTheLastReason() {
        // given: a server that never answers
        InstanceProvisioned event = queue();
        fakes.mail.byRecipient.put(requesterOf(event.requestId()), Failure.SERVER_UNAVAILABLE);

        // when: tried until the give-up time has passed
        Optional<Instant> next = delivery.runDue();
        while (next.isPresent()) {
            fakes.clock.advance(Duration.between(fakes.clock.instant(), next.get()));
            next = delivery.runDue();
        }

        // then
        assertThat(fakes.deadLetters.sent).singleElement().satisfies(letter -> {
            assertThat(letter.cause()).isEqualTo("mail-gave-up");
            assertThat(letter.recipient()).isEqualTo(requesterOf(event.requestId()));
            assertThat(letter.attempts()).isEqualTo(fakes.mail.attempts).isGreaterThan(5);
            assertThat(letter.message()).contains("gave up", "scripted SERVER_UNAVAILABLE");
        });
        assertThat(fakes.mail.sent).isEmpty();
        assertThat(fakes.outbox.dead).hasSize(1);
        assertThat(fakes.clock.instant()).isAfterOrEqualTo(Instant.parse("2025-01-01T10:10:00Z"));
    }

    @Test
    void brokerNotAcknowledgingIsRetriedWithoutMailingAgainAndNeverGivenUp() {
        // given: the mail goes out, but NotificationSent cannot be published for a long while
        InstanceProvisioned event = queue();
        fakes.announceFailure = new IllegalStateException("broker not available");

        // when
        Optional<Instant> next = delivery.runDue();
        fakes.clock.advance(GIVE_UP.plusMinutes(1));
        delivery.runDue();
        fakes.announceFailure = null;
        fakes.clock.advance(Duration.ofMinutes(1));
        next = delivery.runDue();

        // then
        assertThat(next).isEmpty();
        assertThat(fakes.mail.attempts).isEqualTo(1);
        assertThat(fakes.announced).singleElement()
                .satisfies(n -> assertThat(n.requestId()).isEqualTo(event.requestId()));
        assertThat(fakes.deadLetters.sent).isEmpty();
    }

    @Test
    void deadLetterThatCannotBePublishedIsTriedAgainAndTheEmailStaysQueued() {
        // given
        InstanceProvisioned event = queue();
        fakes.mail.byRecipient.put(requesterOf(event.requestId()), Failure.REJECTED);
        fakes.deadLetters.failure = new IllegalStateException("broker not available");

        // when
        Optional<Instant> next = delivery.runDue();

        // then
        assertThat(next).isPresent();
        assertThat(fakes.outbox.pending()).hasSize(1);

        // when
        fakes.deadLetters.failure = null;
        fakes.clock.advance(Duration.between(fakes.clock.instant(), next.get()));
        delivery.runDue();

        // then
        assertThat(fakes.deadLetters.sent).hasSize(1);
        assertThat(fakes.outbox.pending()).isEmpty();
    }

    private InstanceProvisioned queue() {
        InstanceProvisioned event = provisioned(newRequestId(), "web-1", true);
        fakes.notifications.accept(event, Fakes.origin(event, fakes.outbox.pending().size()));
        return event;
    }
}
