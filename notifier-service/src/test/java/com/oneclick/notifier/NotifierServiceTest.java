package com.oneclick.notifier;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.oneclick.model.Topics;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.json.EventJson;
import com.oneclick.notifier.intake.EventListener;
import com.oneclick.notifier.kafka.KafkaDeadLetters;
import com.oneclick.testsupport.KafkaSupport;
import com.oneclick.testsupport.KafkaTestClient;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.oneclick.notifier.ServiceHarness.CONSUMED;
import static com.oneclick.notifier.ServiceHarness.awaitEverythingConsumed;
import static com.oneclick.notifier.ServiceHarness.awaitOutboxEmpty;
import static com.oneclick.notifier.ServiceHarness.header;
import static com.oneclick.notifier.ServiceHarness.notificationsFor;
import static com.oneclick.notifier.ServiceHarness.part;
import static com.oneclick.notifier.ServiceHarness.text;
import static com.oneclick.notifier.TestEvents.READER;
import static com.oneclick.notifier.TestEvents.SECRET_ARN;
import static com.oneclick.notifier.TestEvents.WRITER;
import static com.oneclick.notifier.TestEvents.auroraProvisioned;
import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.provisionedWithOutputs;
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

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL =
            new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                    .withPerMethodLifecycle(false);

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
                "This EC2 instance was simulated by the local build: no cloud resource was created.");
        assertThat(part(mail, "text/html")).contains("i-0123456789abcdef0");
        await().untilAsserted(() -> assertThat(notificationsFor(requestId)).singleElement().satisfies(sent -> {
            assertThat(sent.notification()).isEqualTo("PROVISIONED");
            assertThat(sent.sourceEventId()).isEqualTo(event.eventId());
            assertThat(sent.recipient()).isEqualTo(requester);
        }));

        // when: the very same record is delivered again
        RecordMetadata duplicate = KafkaTestClient.publish(event);
        KafkaTestClient.awaitConsumed(EventListener.GROUP_ID, duplicate);
        awaitOutboxEmpty(notifier);

        // then
        assertThat(mailsTo(requester)).hasSize(1);
        assertThat(notificationsFor(requestId)).hasSize(1);
    }

    @Test
    void auroraProvisionedEmailListsItsOutputsLabelledAndAnEc2EmailWithOutputsShowsTheInstanceAsBefore()
            throws Exception {
        // given
        String auroraId = newRequestId();
        String ec2Id = newRequestId();

        // when
        KafkaTestClient.publish(auroraProvisioned(auroraId, "orders-db", true));
        KafkaTestClient.publish(provisionedWithOutputs(ec2Id, "build-agent-8", false));

        // then: the cluster's endpoints, port and secret ARN under the catalog's labels, in both parts
        await().untilAsserted(() -> assertThat(mailsTo(requesterOf(auroraId))).hasSize(1));
        MimeMessage aurora = mailsTo(requesterOf(auroraId)).get(0);
        String cluster = "oneclick-" + auroraId.substring(0, 8);
        assertThat(aurora.getSubject()).isEqualTo("OneClick: your Aurora MySQL cluster orders-db is ready ("
                + cluster + ")");
        assertThat(part(aurora, "text/plain")).containsSubsequence(
                "Cluster:                 " + cluster,
                "Writer endpoint:         " + WRITER,
                "Reader endpoint:         " + READER,
                "Port:                    3306",
                "Master password secret:  " + SECRET_ARN,
                "Product:     Aurora MySQL cluster",
                "This Aurora MySQL cluster was simulated by the local build: no cloud resource was created.")
                .doesNotContain("Private IP", "key pair");
        assertThat(part(aurora, "text/html")).containsSubsequence(
                "<th align=\"left\">Writer endpoint</th><td><code>" + WRITER,
                "<th align=\"left\">Reader endpoint</th><td><code>" + READER,
                "<th align=\"left\">Port</th><td><code>3306",
                "<th align=\"left\">Master password secret</th><td><code>" + SECRET_ARN);

        // and the EC2 instance's ID, name, IP and zone as before, with its key pair
        await().untilAsserted(() -> assertThat(mailsTo(requesterOf(ec2Id))).hasSize(1));
        MimeMessage ec2 = mailsTo(requesterOf(ec2Id)).get(0);
        assertThat(ec2.getSubject()).isEqualTo("OneClick: your EC2 instance build-agent-8 is ready (i-0123456789abcdef0)");
        assertThat(part(ec2, "text/plain")).containsSubsequence("Instance ID:        i-0123456789abcdef0",
                "Name:               build-agent-8", "Private IP:         10.0.1.23",
                "Availability zone:  eu-west-1a", "Region:      eu-west-1", "Connect with the key pair \"dev-key\".")
                .doesNotContain("simulated");
        await().untilAsserted(() -> assertThat(notificationsFor(auroraId)).singleElement()
                .satisfies(sent -> assertThat(sent.notification()).isEqualTo("PROVISIONED")));
    }

    @Test
    void replayFromOffsetZeroAfterARestartSendsNothingAgain() throws Exception {
        // given: a request whose emails went out (to the requester and to an approver), a poison
        // record that was dead-lettered, and a notifier that has consumed everything
        String requestId = newRequestId();
        KafkaTestClient.publish(ApprovalRequested.of(requestId, List.of("approver-" + requestId + "@example.com"), 1,
                List.of(), null, request("replayed-1", requesterOf(requestId))));
        KafkaTestClient.publish(provisioned(requestId, "replayed-1", false));
        KafkaTestClient.publishRaw(Topics.FAILED, requestId, "ProvisioningFailed", "{\"schemaVersion\": 99}");
        await().untilAsserted(() -> assertThat(notificationsFor(requestId)).hasSize(2));
        await().untilAsserted(() -> assertThat(
                KafkaTestClient.recordsFor(Topics.deadLetter(Topics.FAILED), requestId)).hasSize(1));
        awaitEverythingConsumed();
        awaitOutboxEmpty(notifier);
        int mailsBefore = GREEN_MAIL.getReceivedMessages().length;
        int notificationsBefore = KafkaTestClient.readAll(Topics.NOTIFIED).size();
        Map<String, Integer> deadLettersBefore = deadLetterCounts();

        // when: the notifier restarts and its group is reset to offset zero on every topic
        notifier.close();
        resetGroupToOffsetZero();
        notifier = runNotifier();
        awaitEverythingConsumed();
        awaitOutboxEmpty(notifier);

        // then: no email, no NotificationSent, no dead letter a second time
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(mailsBefore);
        assertThat(KafkaTestClient.readAll(Topics.NOTIFIED)).hasSize(notificationsBefore);
        assertThat(mailsTo(requesterOf(requestId))).hasSize(1);
        assertThat(mailsTo("approver-" + requestId + "@example.com")).hasSize(1);
        assertThat(deadLetterCounts()).isEqualTo(deadLettersBefore);
        assertThat(KafkaTestClient.recordsFor(Topics.deadLetter(Topics.FAILED), requestId)).hasSize(1);
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
                    assertThat(text(dead, KafkaDeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.PROVISIONED);
                    assertThat(ByteBuffer.wrap(header(dead, KafkaDeadLetters.ORIGINAL_PARTITION)).getInt())
                            .isEqualTo(poisoned.partition());
                    assertThat(ByteBuffer.wrap(header(dead, KafkaDeadLetters.ORIGINAL_OFFSET)).getLong())
                            .isEqualTo(poisoned.offset());
                    assertThat(text(dead, KafkaDeadLetters.EXCEPTION_MESSAGE)).contains("not a valid InstanceProvisioned");
                    assertThat(text(dead, EventJson.TYPE_HEADER)).isEqualTo("InstanceProvisioned");
                }));
        await().untilAsserted(() -> assertThat(mailsTo(requesterOf(requestId))).hasSize(1));
    }

    @Test
    void approvalRequestEmailsEachApproverOncePerRoundAndNotAgainForADuplicate() throws Exception {
        // given
        String requestId = newRequestId();
        String alice = "alice-" + requestId + "@example.com";
        String bob = "bob-" + requestId + "@example.com";
        ApprovalRequested firstRound = ApprovalRequested.of(requestId, List.of(alice, bob), 2, List.of(),
                "large-instances", request("big-1", requesterOf(requestId)));

        // when
        KafkaTestClient.publish(firstRound);

        // then
        await().untilAsserted(() -> assertThat(notificationsFor(requestId)).hasSize(2));
        MimeMessage mail = mailsTo(alice).get(0);
        assertThat(mail.getSubject()).isEqualTo("OneClick: big-1 (EC2 instance) for " + requesterOf(requestId)
                + " waits for your approval");
        assertThat(part(mail, "text/plain")).contains(requestId, "t3.micro", "large-instances",
                "Approvals needed: 2", "https://oneclick.example.com/approvals");
        assertThat(part(mail, "text/html")).contains("href=\"https://oneclick.example.com/approvals\"");
        assertThat(notificationsFor(requestId)).extracting(n -> n.notification() + " " + n.recipient())
                .containsExactlyInAnyOrder("APPROVAL_REQUESTED " + alice, "APPROVAL_REQUESTED " + bob);

        // when: the same record again, then the second round (alice approved; bob is asked again)
        RecordMetadata duplicate = KafkaTestClient.publish(firstRound);
        KafkaTestClient.awaitConsumed(EventListener.GROUP_ID, duplicate);
        awaitOutboxEmpty(notifier);
        assertThat(mailsTo(alice)).hasSize(1);
        assertThat(mailsTo(bob)).hasSize(1);
        KafkaTestClient.publish(ApprovalRequested.of(requestId, List.of(bob), 2, List.of("alice"),
                "large-instances", request("big-1", requesterOf(requestId))));

        // then
        await().untilAsserted(() -> assertThat(mailsTo(bob)).hasSize(2));
        assertThat(part(mailsTo(bob).get(1), "text/plain")).contains("1 of the 2 approvals", "Approved so far:  alice");
        await().untilAsserted(() -> assertThat(notificationsFor(requestId)).hasSize(3));
        awaitOutboxEmpty(notifier);
        assertThat(mailsTo(alice)).hasSize(1);
    }

    @Test
    void approvalRequestWithAnAddressThatIsNotOneIsDeadLettered() throws Exception {
        // given
        String requestId = newRequestId();

        // when
        RecordMetadata published = KafkaTestClient.publish(ApprovalRequested.of(requestId,
                List.of("ok-" + requestId + "@example.com", "not an address"), 1, List.of(), null,
                request("web-1", requesterOf(requestId))));

        // then
        await().untilAsserted(() -> assertThat(
                KafkaTestClient.recordsFor(Topics.deadLetter(Topics.AWAITING_APPROVAL), requestId))
                .singleElement()
                .satisfies(dead -> {
                    assertThat(text(dead, KafkaDeadLetters.EXCEPTION_MESSAGE)).contains("approverEmails[1]");
                    assertThat(text(dead, KafkaDeadLetters.CAUSE)).isEqualTo("unreadable");
                    assertThat(ByteBuffer.wrap(header(dead, KafkaDeadLetters.ORIGINAL_OFFSET)).getLong())
                            .isEqualTo(published.offset());
                }));
        assertThat(mailsTo("ok-" + requestId + "@example.com")).isEmpty();
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

    // --- helpers ------------------------------------------------------------------------------

    private static EmbeddedServer runNotifier() {
        return ServiceHarness.runNotifier(GREEN_MAIL.getSmtp().getPort(), Map.of());
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

    private static Map<String, Integer> deadLetterCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (String topic : CONSUMED) {
            counts.put(topic, KafkaTestClient.readAll(Topics.deadLetter(topic)).size());
        }
        return counts;
    }

    private static List<MimeMessage> mailsTo(String recipient) throws MessagingException {
        return ServiceHarness.mailsTo(GREEN_MAIL.getReceivedMessages(), recipient);
    }
}
