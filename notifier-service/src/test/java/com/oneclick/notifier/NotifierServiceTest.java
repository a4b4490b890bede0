package com.oneclick.notifier;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.oneclick.model.Topics;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.json.EventJson;
import com.oneclick.notifier.intake.DeadLetters;
import com.oneclick.notifier.intake.EventListener;
import com.oneclick.testsupport.KafkaSupport;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.request;
import static com.oneclick.notifier.TestEvents.requesterOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service against a real Kafka broker and a real SMTP server (GreenMail): events in
 * through a plain producer, emails out to GreenMail, NotificationSent and dead letters read back
 * from the broker.
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

    private static Admin admin;
    private static KafkaProducer<byte[], byte[]> producer;
    private static EmbeddedServer notifier;

    @BeforeAll
    static void startNotifier() throws Exception {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(45));
        Awaitility.setDefaultPollInterval(Duration.ofMillis(200));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSupport.bootstrapServers()));
        createTopics();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSupport.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
        notifier = runNotifier();
    }

    @AfterAll
    static void stopNotifier() {
        if (notifier != null) {
            notifier.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void provisionedEventEmailsTheRequesterOnceAndAnnouncesItEvenWhenDeliveredTwice() throws Exception {
        // given
        String requestId = newRequestId();
        String requester = requesterOf(requestId);
        InstanceProvisioned event = provisioned(requestId, "build-agent-7", true);

        // when
        publish(event);

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
        RecordMetadata duplicate = publish(event);
        awaitCommittedPast(duplicate);

        // then
        assertThat(mailsTo(requester)).hasSize(1);
        assertThat(notificationsFor(requestId)).hasSize(1);
    }

    @Test
    void replayFromOffsetZeroAfterARestartSendsNothingAgain() throws Exception {
        // given: a request whose email went out, and a notifier that has consumed everything
        String requestId = newRequestId();
        publish(provisioned(requestId, "replayed-1", false));
        await().untilAsserted(() -> assertThat(notificationsFor(requestId)).hasSize(1));
        awaitEverythingConsumed();
        int mailsBefore = GREEN_MAIL.getReceivedMessages().length;
        int notificationsBefore = readAll(Topics.NOTIFIED).size();

        // when: the notifier restarts and its group is reset to offset zero on every topic
        notifier.close();
        await().untilAsserted(() -> admin.alterConsumerGroupOffsets(EventListener.GROUP_ID, consumedPartitions()
                .stream().collect(Collectors.toMap(tp -> tp, tp -> new OffsetAndMetadata(0)))).all().get());
        notifier = runNotifier();
        awaitEverythingConsumed();

        // then
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(mailsBefore);
        assertThat(readAll(Topics.NOTIFIED)).hasSize(notificationsBefore);
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
        publish(event);

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
        byte[] key = requestId.getBytes(StandardCharsets.UTF_8);
        byte[] poison = ("{\"eventId\": \"not even json " + requestId).getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.PROVISIONED, key, poison);
        record.headers().add(EventJson.TYPE_HEADER, "InstanceProvisioned".getBytes(StandardCharsets.UTF_8));

        // when
        RecordMetadata poisoned = producer.send(record).get();
        publish(provisioned(requestId, "after-poison", true));

        // then
        await().untilAsserted(() -> assertThat(readAll(Topics.deadLetter(Topics.PROVISIONED)))
                .filteredOn(dead -> Arrays.equals(dead.key(), key))
                .singleElement()
                .satisfies(dead -> {
                    assertThat(dead.value()).isEqualTo(poison);
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

    private static void createTopics() throws Exception {
        List<String> topics = new ArrayList<>(CONSUMED);
        topics.add(Topics.NOTIFIED);
        topics.add(Topics.deadLetter(Topics.PROVISIONED));
        for (String topic : topics) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private static RecordMetadata publish(RequestEvent event) throws Exception {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(event.type().topic(),
                event.requestId().getBytes(StandardCharsets.UTF_8), EventJson.write(event));
        record.headers().add(EventJson.TYPE_HEADER, EventJson.typeHeader(event));
        return producer.send(record).get();
    }

    private static List<TopicPartition> consumedPartitions() throws Exception {
        return admin.describeTopics(CONSUMED).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .toList();
    }

    private static Map<TopicPartition, Long> committed() throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(EventListener.GROUP_ID).partitionsToOffsetAndMetadata().get()
                .forEach((tp, offset) -> offsets.put(tp, offset == null ? 0L : offset.offset()));
        return offsets;
    }

    /** Waits until the notifier has finished with the record (its offset is committed past it). */
    private static void awaitCommittedPast(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        await().untilAsserted(() -> assertThat(committed().getOrDefault(partition, 0L)).isGreaterThan(record.offset()));
    }

    /** Waits until the notifier's committed offsets reach the end of every partition it consumes. */
    private static void awaitEverythingConsumed() {
        await().untilAsserted(() -> {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(consumedPartitions().stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            Map<TopicPartition, Long> committed = committed();
            ends.forEach((tp, end) -> assertThat(committed.getOrDefault(tp, 0L)).as("committed offset of %s", tp)
                    .isEqualTo(end));
        });
    }

    /** Every record of a topic, read from the beginning with a throw-away consumer. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSupport.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static List<NotificationSent> notificationsFor(String requestId) {
        return readAll(Topics.NOTIFIED).stream()
                .filter(r -> Arrays.equals(r.key(), requestId.getBytes(StandardCharsets.UTF_8)))
                .map(r -> {
                    assertThat(text(r, EventJson.TYPE_HEADER)).isEqualTo("NotificationSent");
                    return EventJson.readAs(NotificationSent.class, r.value());
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
