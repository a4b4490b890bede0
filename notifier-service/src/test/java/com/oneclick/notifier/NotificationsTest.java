package com.oneclick.notifier;

import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.json.UnreadableEventException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.request;
import static com.oneclick.notifier.TestEvents.requesterOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationsTest {

    private final Fakes fakes = new Fakes();
    private final Notifications notifications = fakes.notifications;

    @Test
    void queuesTheEmailThenSendsAndAnnouncesIt() {
        // given
        String requestId = newRequestId();
        InstanceProvisioned event = provisioned(requestId, "web-1", true);

        // when
        int queued = notifications.accept(event, Fakes.origin(event, 5));

        // then: queued only, nothing sent yet
        assertThat(queued).isEqualTo(1);
        assertThat(fakes.mail.attempts).isZero();
        QueuedMail mail = fakes.outbox.pending().get(0);
        assertThat(mail.mailId()).isEqualTo(MailId.toRequester(requestId, NotificationKind.PROVISIONED));
        assertThat(mail.origin().offset()).isEqualTo(5);

        // when
        notifications.attempt(mail);

        // then
        assertThat(fakes.mail.sent).singleElement()
                .satisfies(m -> assertThat(m.recipient()).isEqualTo(requesterOf(requestId)));
        assertThat(fakes.announced).singleElement().satisfies(n -> {
            assertThat(n.notification()).isEqualTo("PROVISIONED");
            assertThat(n.sourceEventId()).isEqualTo(event.eventId());
            assertThat(n.recipient()).isEqualTo(requesterOf(requestId));
        });
        assertThat(fakes.sent.state(mail.mailId())).isEqualTo(SentNotifications.State.ANNOUNCED);
    }

    @Test
    void duplicateAndReplayedEventsQueueNothingMore() {
        // given: one email queued
        InstanceProvisioned event = provisioned(newRequestId(), "web-1", true);
        notifications.accept(event, Fakes.origin(event, 1));

        // when: the same event again while it waits, and another event of the same kind after it went out
        int whileWaiting = notifications.accept(event, Fakes.origin(event, 1));
        notifications.attempt(fakes.outbox.pending().get(0));
        fakes.outbox.markSent(fakes.outbox.pending().get(0).id());
        int afterSending = notifications.accept(provisioned(event.requestId(), "web-1", true), Fakes.origin(event, 9));

        // then
        assertThat(whileWaiting).isZero();
        assertThat(afterSending).isZero();
        assertThat(fakes.mail.sent).hasSize(1);
        assertThat(fakes.announced).hasSize(1);
    }

    @Test
    void emailSentBeforeACrashIsOnlyAnnouncedOnTheNextTry() {
        // given: the mail went out and was recorded, then the process died before publishing
        InstanceProvisioned event = provisioned(newRequestId(), "web-1", true);
        notifications.accept(event, Fakes.origin(event, 1));
        QueuedMail queued = fakes.outbox.pending().get(0);
        fakes.sent.markMailed(queued.mailId(), event.eventId());

        // when
        notifications.attempt(queued);

        // then
        assertThat(fakes.mail.attempts).isZero();
        assertThat(fakes.announced).hasSize(1);
    }

    @Test
    void approvalRequestEmailsEachApproverOncePerRound() {
        // given
        String requestId = newRequestId();
        ApprovalRequested firstRound = ApprovalRequested.of(requestId,
                List.of("alice@example.com", "bob@example.com", "Bob@Example.com"), 2, List.of(), "large",
                request("big-1", requesterOf(requestId)));
        ApprovalRequested secondRound = ApprovalRequested.of(requestId, List.of("bob@example.com"), 2,
                List.of("alice"), "large", request("big-1", requesterOf(requestId)));

        // when: the first round, its replay, then the second round
        int first = notifications.accept(firstRound, Fakes.origin(firstRound, 1));
        sendAll();
        int replayed = notifications.accept(firstRound, Fakes.origin(firstRound, 1));
        int second = notifications.accept(secondRound, Fakes.origin(secondRound, 2));
        sendAll();

        // then
        assertThat(first).isEqualTo(2);
        assertThat(replayed).isZero();
        assertThat(second).isEqualTo(1);
        assertThat(fakes.mail.sent).extracting(OutgoingMail::recipient)
                .containsExactly("alice@example.com", "bob@example.com", "bob@example.com");
        assertThat(fakes.announced).extracting(n -> n.notification() + " " + n.recipient()).containsExactly(
                "APPROVAL_REQUESTED alice@example.com", "APPROVAL_REQUESTED bob@example.com",
                "APPROVAL_REQUESTED bob@example.com");
    }

    @Test
    void unreadableRecordIsDeadLetteredOnceAlsoWhenReplayed() {
        // given
        InstanceProvisioned event = provisioned(newRequestId(), "web-1", true);
        RecordOrigin origin = Fakes.origin(event, 3);

        // when
        notifications.refuse(origin, new UnreadableEventException("not a valid InstanceProvisioned"));
        notifications.refuse(origin, new UnreadableEventException("not a valid InstanceProvisioned"));

        // then
        assertThat(fakes.deadLetters.sent).singleElement().satisfies(letter -> {
            assertThat(letter.cause()).isEqualTo("unreadable");
            assertThat(letter.subject()).isEqualTo(DeadLetters.WHOLE_RECORD);
            assertThat(letter.message()).isEqualTo("not a valid InstanceProvisioned");
        });
    }

    @Test
    void emailDeadLetteredForARecordIsNotQueuedAgainOnReplayButIsForARedrivenCopy() {
        // given: the email of the record at offset 4 was given up
        InstanceProvisioned event = provisioned(newRequestId(), "web-1", true);
        MailId id = MailId.toRequester(event.requestId(), NotificationKind.PROVISIONED);
        fakes.deadLetters.send(Fakes.origin(event, 4), new DeadLetters.DeadLetter("mail-rejected", id.slot(),
                "550", "x", requesterOf(event.requestId()), 1));

        // when
        int replayed = notifications.accept(event, Fakes.origin(event, 4));
        int redriven = notifications.accept(event, Fakes.origin(event, 40));

        // then
        assertThat(replayed).isZero();
        assertThat(redriven).isEqualTo(1);
    }

    @Test
    void progressEventsSendNoEmail() {
        // when
        BuildStarted event = BuildStarted.of(newRequestId(), "local-1", "local");
        int queued = notifications.accept(event, Fakes.origin(event, 1));

        // then
        assertThat(queued).isZero();
        assertThat(fakes.outbox.pending()).isEmpty();
    }

    private void sendAll() {
        for (QueuedMail mail : fakes.outbox.pending()) {
            notifications.attempt(mail);
            fakes.outbox.markSent(mail.id());
        }
    }
}
