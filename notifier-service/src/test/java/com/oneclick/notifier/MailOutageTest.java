package com.oneclick.notifier;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.oneclick.model.Topics;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.json.EventJson;
import com.oneclick.notifier.intake.EventListener;
import com.oneclick.notifier.kafka.KafkaDeadLetters;
import com.oneclick.testsupport.KafkaTestClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static com.oneclick.notifier.ServiceHarness.awaitOutboxEmpty;
import static com.oneclick.notifier.ServiceHarness.header;
import static com.oneclick.notifier.ServiceHarness.mailsTo;
import static com.oneclick.notifier.ServiceHarness.notificationsFor;
import static com.oneclick.notifier.ServiceHarness.text;
import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.requesterOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The mail server misbehaving, against the real broker and a real SMTP server (GreenMail) that is
 * absent, comes late, or refuses: mail is delayed, dead-lettered with its reason, never dropped and
 * never sent twice, and the consumer keeps moving meanwhile.
 */
class MailOutageTest {

    private EmbeddedServer notifier;
    private GreenMail greenMail;

    @BeforeAll
    static void timeouts() {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(45));
        Awaitility.setDefaultPollInterval(Duration.ofMillis(100));
    }

    @AfterAll
    static void resetTimeouts() {
        Awaitility.reset();
    }

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    @Test
    void mailServerDownForAWhileDelaysMailWithoutHoldingTheConsumerThenSendsEachEmailOnce() throws Exception {
        // given: no SMTP server on the configured port yet
        int port = freePort();
        notifier = ServiceHarness.runNotifier(port, Map.of());
        MailDelivery delivery = notifier.getApplicationContext().getBean(MailDelivery.class);
        long failuresBefore = delivery.failedAttempts();
        String first = newRequestId();
        String second = newRequestId();

        // when: one email fails to go, and another request's event arrives on the same topic
        KafkaTestClient.publish(provisioned(first, "outage-1", true));
        await().until(() -> delivery.failedAttempts() > failuresBefore);
        RecordMetadata later = KafkaTestClient.publish(provisioned(second, "outage-2", true));

        // then: the consumer moved past it while the mail server is still down
        KafkaTestClient.awaitConsumed(EventListener.GROUP_ID, later);
        assertThat(notificationsFor(first)).isEmpty();

        // when: the mail server comes up
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();

        // then: each email exactly once, each announced once, nothing dead-lettered
        await().untilAsserted(() -> {
            assertThat(notificationsFor(first)).hasSize(1);
            assertThat(notificationsFor(second)).hasSize(1);
        });
        awaitOutboxEmpty(notifier);
        assertThat(mailsTo(greenMail.getReceivedMessages(), requesterOf(first))).hasSize(1);
        assertThat(mailsTo(greenMail.getReceivedMessages(), requesterOf(second))).hasSize(1);
        assertThat(KafkaTestClient.recordsFor(Topics.deadLetter(Topics.PROVISIONED), first)).isEmpty();
        System.out.printf("fault smtp-down: requests=2 lost=0 duplicated=0 failedAttempts=%d%n",
                delivery.failedAttempts() - failuresBefore);
    }

    @Test
    void recordThatCannotBeQueuedIsDeliveredAgainWithItsBatchAndEveryEmailGoesOnce() throws Exception {
        // given: two events waiting on the topic, so the notifier's first poll returns them together,
        // and an outbox that fails (as a full disk would) the first time the second one's email is queued
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        String first = newRequestId();
        String second = newRequestId();
        KafkaTestClient.publish(provisioned(first, "batch-1", true));
        RecordMetadata last = KafkaTestClient.publish(provisioned(second, "batch-2", true));

        // when
        notifier = ServiceHarness.runNotifier(greenMail.getSmtp().getPort(),
                Map.of(FlakyOutbox.FAIL_ONCE_FOR, second));

        // then: after the redelivery delay both emails went, each once, and the second was queued on its second try
        FlakyOutbox outbox = notifier.getApplicationContext().getBean(FlakyOutbox.class);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(notificationsFor(first)).hasSize(1);
            assertThat(notificationsFor(second)).hasSize(1);
        });
        KafkaTestClient.awaitConsumed(EventListener.GROUP_ID, last);
        awaitOutboxEmpty(notifier);
        assertThat(mailsTo(greenMail.getReceivedMessages(), requesterOf(first))).hasSize(1);
        assertThat(mailsTo(greenMail.getReceivedMessages(), requesterOf(second))).hasSize(1);
        assertThat(outbox.enqueueCalls(first)).isEqualTo(1);
        assertThat(outbox.enqueueCalls(second)).isEqualTo(2);
        assertThat(KafkaTestClient.recordsFor(Topics.deadLetter(Topics.PROVISIONED), second)).isEmpty();
    }

    @Test
    void mailThatKeepsFailingIsDeadLetteredWithItsReasonAndCanBeRedriven() throws Exception {
        // given: a mail server that never comes, and a short give-up time
        int port = freePort();
        notifier = ServiceHarness.runNotifier(port, Map.of("oneclick.smtp.give-up-after", "2s"));
        String requestId = newRequestId();
        InstanceProvisioned event = provisioned(requestId, "never-1", true);

        // when
        RecordMetadata published = KafkaTestClient.publish(event);

        // then
        ConsumerRecord<byte[], byte[]> dead = await().until(
                () -> KafkaTestClient.recordsFor(Topics.deadLetter(Topics.PROVISIONED), requestId),
                records -> records.size() == 1).get(0);
        assertThat(dead.value()).isEqualTo(EventJson.write(event));
        assertThat(text(dead, EventJson.TYPE_HEADER)).isEqualTo("InstanceProvisioned");
        assertThat(text(dead, KafkaDeadLetters.CAUSE)).isEqualTo("mail-gave-up");
        assertThat(text(dead, KafkaDeadLetters.SUBJECT)).isEqualTo("PROVISIONED");
        assertThat(text(dead, KafkaDeadLetters.MAIL_RECIPIENT)).isEqualTo(requesterOf(requestId));
        assertThat(Integer.parseInt(text(dead, KafkaDeadLetters.MAIL_ATTEMPTS))).isGreaterThanOrEqualTo(1);
        assertThat(text(dead, KafkaDeadLetters.EXCEPTION_MESSAGE)).contains("gave up", "not reachable");
        assertThat(text(dead, KafkaDeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.PROVISIONED);
        assertThat(ByteBuffer.wrap(header(dead, KafkaDeadLetters.ORIGINAL_OFFSET)).getLong())
                .isEqualTo(published.offset());
        awaitOutboxEmpty(notifier);
        assertThat(notificationsFor(requestId)).isEmpty();

        // when: the mail server is back and ops re-publish the dead letter to its original topic
        notifier.close();
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        notifier = ServiceHarness.runNotifier(greenMail.getSmtp().getPort(), Map.of());
        KafkaTestClient.publishRaw(Topics.PROVISIONED, requestId, "InstanceProvisioned",
                new String(dead.value(), StandardCharsets.UTF_8));

        // then: the email goes once
        await().untilAsserted(() -> assertThat(notificationsFor(requestId)).hasSize(1));
        awaitOutboxEmpty(notifier);
        assertThat(mailsTo(greenMail.getReceivedMessages(), requesterOf(requestId))).hasSize(1);
        assertThat(KafkaTestClient.recordsFor(Topics.deadLetter(Topics.PROVISIONED), requestId)).hasSize(1);
    }

    @Test
    void mailTheServerRejectsIsDeadLetteredAtOnceWithTheServersAnswer() throws Exception {
        // given: GreenMail answers "500 Command too long" to a sender address over 4096 characters
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        notifier = ServiceHarness.runNotifier(greenMail.getSmtp().getPort(), Map.of(
                "oneclick.mail.from", "x".repeat(5000) + "@example.com"));
        MailDelivery delivery = notifier.getApplicationContext().getBean(MailDelivery.class);
        long failuresBefore = delivery.failedAttempts();
        String requestId = newRequestId();

        // when
        KafkaTestClient.publish(provisioned(requestId, "rejected-1", true));

        // then
        ConsumerRecord<byte[], byte[]> dead = await().until(
                () -> KafkaTestClient.recordsFor(Topics.deadLetter(Topics.PROVISIONED), requestId),
                records -> records.size() == 1).get(0);
        assertThat(text(dead, KafkaDeadLetters.CAUSE)).isEqualTo("mail-rejected");
        assertThat(text(dead, KafkaDeadLetters.MAIL_ATTEMPTS)).isEqualTo("1");
        assertThat(text(dead, KafkaDeadLetters.EXCEPTION_MESSAGE)).contains("rejected", "500");
        awaitOutboxEmpty(notifier);
        assertThat(delivery.failedAttempts() - failuresBefore).isEqualTo(1);
        assertThat(greenMail.getReceivedMessages()).isEmpty();
        assertThat(notificationsFor(requestId)).isEmpty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
