package com.oneclick.notifier;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.oneclick.model.Topics;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.json.EventJson;
import com.oneclick.notifier.intake.DeadLetters;
import com.oneclick.notifier.intake.EventListener;
import com.oneclick.testsupport.KafkaSupport;
import com.oneclick.testsupport.KafkaTestClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;

import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.request;
import static com.oneclick.notifier.TestEvents.requesterOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service against a real Kafka broker and a real SMTP server (GreenMail): events in
 * through {@link KafkaTestClient}, emails out to GreenMail, NotificationSent and dead letters read
 * back from the broker.
 */
class NotifierServiceTest {

    private static final List<String> CONSUMED = List.of(Topics.REQUESTED, Topics.APPROVED, Topics.REJECTED,
            Topics.PROVISIONED, Topics.FAILED);

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL =
            new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                    .withPerMethodLifecycle(false);

    @TempDir
    static Path dataDir;

    private static EmbeddedServer notifier;

    @BeforeAll
    static void startNotifier() {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(45));
        Awaitility.setDefaultPollInterval(Duration.ofMillis(200));
        notifier = runNotifier();
    }

    @AfterAll
    static void stopNotifier() {
        if (notifier != null) {
            notifier.close();
        }
        Awaitility.reset();
    }

    @Test
    void provisionedEventEmailsTheRequesterOnceAndAnnouncesItEvenWhenDeliveredTwice() throws Exception {
        // given
        String requestId = newRequestId();
        String requester = requesterOf(requestId);
        InstanceProvisioned event = provisioned(requestId, "build-agent-7", true);

        // when
        KafkaTestClient.publish(event);

        // then
        await().untilAsserted(() -> assertThat(mailsTo(requester)).hasSize(1));
        MimeMessage mail = mailsTo(requester).get(0);
        assertThat(mail.getSubject()).contains("build-agent-7", "i-0123456789abcdef0");
        assertThat(mail.getFrom()).extracting(Address::toString).containsExactly("oneclick@example.com");
        assertThat(part(mail, "text/plain")).contains("i-0123456789abcdef0", "10.0.1.23", "eu-west-1a",
                "This instance was simulated by the local build: no cloud resource was created.");
        assertThat(part(mail, "text/html")).contains("i-0123456789abcdef0");
        await().untilAsserted(() -> assertThat(notificationsFor(requestId)).singleElement().satisfies(sent -> {
            assertThat(sent.notification()).isEqualTo("PROVISIONED");
            assertThat(sent.sourceEventId()).isEqualTo(event.eventId());
            assertThat(sent.recipient()).isEqualTo(requester);
        }));

        // when: the very same record is delivered again
        RecordMetadata duplicate = KafkaTestClient.publish(event);
        KafkaTestClient.awaitConsumed(EventListener.GROUP_ID, duplicate);

        // then
        assertThat(mailsTo(requester)).hasSize(1);
        assertThat(notificationsFor(requestId)).hasSize(1);
    }

    @Test
    void replayFromOffsetZeroAfterARestartSendsNothingAgain() throws Exception {
        // given: a request whose email went out, and a notifier that has consumed everything
        String requestId = newRequestId();
        KafkaTestClient.publish(provisioned(requestId, "replayed-1", false));
        await().untilAsserted(() -> assertThat(notificationsFor(requestId)).hasSize(1));
        awaitEverythingConsumed();
        int mailsBefore = GREEN_MAIL.getReceivedMessages().length;
        int notificationsBefore = KafkaTestClient.readAll(Topics.NOTIFIED).size();

        // when: the notifier restarts and its group is reset to offset zero on every topic
        notifier.close();
        resetGroupToOffsetZero();
        notifier = runNotifier();
        awaitEverythingConsumed();

        // then
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(mailsBefore);
        assertThat(KafkaTestClient.readAll(Topics.NOTIFIED)).hasSize(notificationsBefore);
        assertThat(mailsTo(requesterOf(requestId))).hasSize(1);
    }

    @Test
    void rejectedEventEmailsTheReason() throws Exception {
        // given
        String requestId = newRequestId();
        String requester = requesterOf(requestId);
        RequestRejected event = RequestRejected.of(requestId, "alice", "Use a t3.small in the shared subnet",
                request("web-1", requester));

        // when
        KafkaTestClient.publish(event);

        // then
        await().untilAsserted(() -> assertThat(mailsTo(requester)).hasSize(1));
        MimeMessage mail = mailsTo(requester).get(0);
        assertThat(mail.getSubject()).contains("rejected");
        assertThat(part(mail, "text/plain")).contains("Reason: Use a t3.small in the shared subnet");
        assertThat(part(mail, "text/html")).contains("Use a t3.small in the shared subnet");
        await().untilAsserted(() -> assertThat(notificationsFor(requestId)).singleElement()
                .satisfies(sent -> assertThat(sent.notification()).isEqualTo("REJECTED")));
    }

    @Test
    void poisonRecordLandsOnTheDeadLetterTopicAndTheNextRecordIsStillMailed() throws Exception {
        // given
        String requestId = newRequestId();
        String poison = "{\"eventId\": \"not even json " + requestId;

        // when
        RecordMetadata poisoned =
                KafkaTestClient.publishRaw(Topics.PROVISIONED, requestId, "InstanceProvisioned", poison);
        KafkaTestClient.publish(provisioned(requestId, "after-poison", true));

        // then
        await().untilAsserted(() -> assertThat(
                KafkaTestClient.recordsFor(Topics.deadLetter(Topics.PROVISIONED), requestId))
                .singleElement()
                .satisfies(dead -> {
                    assertThat(dead.value()).isEqualTo(poison.getBytes(StandardCharsets.UTF_8));
                    assertThat(text(dead, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.PROVISIONED);
                    assertThat(ByteBuffer.wrap(header(dead, DeadLetters.ORIGINAL_PARTITION)).getInt())
                            .isEqualTo(poisoned.partition());
                    assertThat(ByteBuffer.wrap(header(dead, DeadLetters.ORIGINAL_OFFSET)).getLong())
                            .isEqualTo(poisoned.offset());
                    assertThat(text(dead, DeadLetters.EXCEPTION_MESSAGE)).contains("not a valid InstanceProvisioned");
                    assertThat(text(dead, EventJson.TYPE_HEADER)).isEqualTo("InstanceProvisioned");
                }));
        await().untilAsserted(() -> assertThat(mailsTo(requesterOf(requestId))).hasSize(1));
    }

    @Test
    void healthEndpointReportsUp() throws Exception {
        // when
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + notifier.getPort() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    // --- the notifier -------------------------------------------------------------------------

    private static EmbeddedServer runNotifier() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("micronaut.server.port", -1);
        properties.put("kafka.bootstrap.servers", KafkaSupport.bootstrapServers());
        properties.put("oneclick.smtp.host", "127.0.0.1");
        properties.put("oneclick.smtp.port", GREEN_MAIL.getSmtp().getPort());
        properties.put("oneclick.smtp.backoff", "100ms");
        properties.put("oneclick.mail.from", "oneclick@example.com");
        properties.put("oneclick.data.dir", dataDir.toString());
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    // --- Kafka --------------------------------------------------------------------------------

    /** Waits until the notifier has committed past the last record of every partition it consumes. */
    private static void awaitEverythingConsumed() {
        BinaryOperator<ConsumerRecord<byte[], byte[]>> later = (a, b) -> b.offset() > a.offset() ? b : a;
        for (String topic : CONSUMED) {
            KafkaTestClient.readAll(topic).stream()
                    .collect(Collectors.toMap(ConsumerRecord::partition, r -> r, later))
                    .values()
                    .forEach(last -> KafkaTestClient.awaitConsumed(EventListener.GROUP_ID, last));
        }
    }

    /**
     * Sets every offset the (stopped) notifier's group has committed back to zero; partitions it never
     * committed on start from the earliest record anyway. Retried until the broker has seen the group
     * go empty.
     */
    private static void resetGroupToOffsetZero() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaSupport.bootstrapServers()))) {
            await().untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(EventListener.GROUP_ID).partitionsToOffsetAndMetadata().get();
                assertThat(committed).as("offsets committed by %s", EventListener.GROUP_ID).isNotEmpty();
                admin.alterConsumerGroupOffsets(EventListener.GROUP_ID, committed.keySet().stream()
                        .collect(Collectors.toMap(tp -> tp, tp -> new OffsetAndMetadata(0)))).all().get();
            });
        }
    }

    private static List<NotificationSent> notificationsFor(String requestId) {
        return KafkaTestClient.recordsFor(Topics.NOTIFIED, requestId).stream()
                .map(KafkaTestClient::decode)
                .map(event -> {
                    assertThat(event).isInstanceOf(NotificationSent.class);
                    return (NotificationSent) event;
                })
                .toList();
    }

    private static byte[] header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return header.value();
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(header(record, name), StandardCharsets.UTF_8);
    }

    // --- mail ---------------------------------------------------------------------------------

    private static List<MimeMessage> mailsTo(String recipient) throws MessagingException {
        List<MimeMessage> mails = new ArrayList<>();
        for (MimeMessage message : GREEN_MAIL.getReceivedMessages()) {
            Address[] to = message.getRecipients(Message.RecipientType.TO);
            if (to != null && Arrays.stream(to).anyMatch(a -> recipient.equals(((InternetAddress) a).getAddress()))) {
                mails.add(message);
            }
        }
        return mails;
    }

    private static String part(MimeMessage mail, String mimeType) throws MessagingException, IOException {
        Object content = mail.getContent();
        assertThat(content).isInstanceOf(Multipart.class);
        Multipart multipart = (Multipart) content;
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(mimeType)) {
                return part.getContent().toString();
            }
        }
        throw new AssertionError("no " + mimeType + " part in the email");
    }
}
