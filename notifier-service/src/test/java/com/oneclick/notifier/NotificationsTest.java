package com.oneclick.notifier;

import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.notifier.mail.MailComposer;
import com.oneclick.notifier.mail.MailTemplates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.requesterOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationsTest {

    private final FakeMail mail = new FakeMail();
    private final InMemorySent sent = new InMemorySent();
    private final List<NotificationSent> announced = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private final Notifications notifications = new Notifications(new MailComposer(MailTemplates.fromClasspath()),
            mail, sent, announced::add, new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(10)),
            waits::add);

    @Test
    void sendsOneEmailAndAnnouncesIt() {
        // given
        String requestId = newRequestId();
        InstanceProvisioned event = provisioned(requestId, "web-1", true);

        // when
        notifications.handle(event);

        // then
        assertThat(mail.sent).singleElement().satisfies(m -> assertThat(m.recipient()).isEqualTo(requesterOf(requestId)));
        assertThat(announced).singleElement().satisfies(n -> {
            assertThat(n.requestId()).isEqualTo(requestId);
            assertThat(n.notification()).isEqualTo("PROVISIONED");
            assertThat(n.sourceEventId()).isEqualTo(event.eventId());
            assertThat(n.recipient()).isEqualTo(requesterOf(requestId));
        });
        assertThat(sent.state(requestId, NotificationKind.PROVISIONED)).isEqualTo(SentNotifications.State.ANNOUNCED);
    }

    @Test
    void duplicateAndReplayedEventsSendNothingMore() {
        // given
        InstanceProvisioned event = provisioned(newRequestId(), "web-1", true);
        notifications.handle(event);

        // when: the same record again, and another event of the same kind for the request
        notifications.handle(event);
        notifications.handle(provisioned(event.requestId(), "web-1", true));

        // then
        assertThat(mail.sent).hasSize(1);
        assertThat(announced).hasSize(1);
    }

    @Test
    void emailSentBeforeACrashIsOnlyAnnouncedOnRedelivery() {
        // given: the mail went out and was recorded, then the process died before publishing
        InstanceProvisioned event = provisioned(newRequestId(), "web-1", true);
        sent.markMailed(event.requestId(), NotificationKind.PROVISIONED, event.eventId());

        // when
        notifications.handle(event);

        // then
        assertThat(mail.sent).isEmpty();
        assertThat(announced).hasSize(1);
    }

    @Test
    void transientSmtpFailureIsRetriedWithGrowingBackoff() {
        // given
        mail.failuresBeforeSuccess = 2;

        // when
        notifications.handle(provisioned(newRequestId(), "web-1", true));

        // then
        assertThat(mail.attempts).isEqualTo(3);
        assertThat(mail.sent).hasSize(1);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void smtpStillFailingAfterTheBoundedRetriesIsRethrownAndNothingIsRecorded() {
        // given
        mail.failuresBeforeSuccess = Integer.MAX_VALUE;
        InstanceProvisioned event = provisioned(newRequestId(), "web-1", true);

        // when / then
        assertThatThrownBy(() -> notifications.handle(event)).isInstanceOf(MailDeliveryException.class);
        assertThat(mail.attempts).isEqualTo(3);
        assertThat(sent.state(event.requestId(), NotificationKind.PROVISIONED)).isEqualTo(SentNotifications.State.NONE);
        assertThat(announced).isEmpty();
    }

    @Test
    void progressEventsSendNoEmail() {
        // when
        notifications.handle(BuildStarted.of(newRequestId(), "local-1", "local"));

        // then
        assertThat(mail.attempts).isZero();
        assertThat(announced).isEmpty();
    }

    private static final class FakeMail implements MailGateway {
        final List<OutgoingMail> sent = new ArrayList<>();
        int failuresBeforeSuccess;
        int attempts;

        @Override
        public void send(OutgoingMail mail) {
            attempts++;
            if (attempts <= failuresBeforeSuccess) {
                throw new MailDeliveryException("connection refused", null);
            }
            sent.add(mail);
        }
    }

    private static final class InMemorySent implements SentNotifications {
        final Map<String, State> states = new HashMap<>();

        @Override
        public State state(String requestId, NotificationKind kind) {
            return states.getOrDefault(requestId + kind, State.NONE);
        }

        @Override
        public void markMailed(String requestId, NotificationKind kind, UUID sourceEventId) {
            states.put(requestId + kind, State.MAILED);
        }

        @Override
        public void markAnnounced(String requestId, NotificationKind kind, UUID sourceEventId) {
            states.put(requestId + kind, State.ANNOUNCED);
        }
    }
}
