package com.oneclick.notifier;

import com.oneclick.model.Topics;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.notifier.intake.EventListener;
import com.oneclick.notifier.outbox.OutboxLog;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the notifier the way it is deployed: one consumer group and one data directory for every
 * instance in this JVM (test classes run one after the other, like restarts of one service), so a
 * replay in one class meets the sent log, outbox and dead-letter log of everything before it.
 */
final class ServiceHarness {

    static final List<String> CONSUMED = List.of(Topics.REQUESTED, Topics.AWAITING_APPROVAL, Topics.APPROVED,
            Topics.REJECTED, Topics.PROVISIONED, Topics.FAILED);

    private static Path dataDir;

    private ServiceHarness() {
    }

    static synchronized Path dataDir() {
        if (dataDir == null) {
            try {
                dataDir = Files.createTempDirectory("notifier-data");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path dir = dataDir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        }
        return dataDir;
    }

    static EmbeddedServer runNotifier(int smtpPort, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("micronaut.server.port", -1);
        properties.put("kafka.bootstrap.servers", KafkaSupport.bootstrapServers());
        properties.put("oneclick.smtp.host", "127.0.0.1");
        properties.put("oneclick.smtp.port", smtpPort);
        properties.put("oneclick.smtp.timeout", "2s");
        properties.put("oneclick.smtp.backoff", "100ms");
        properties.put("oneclick.smtp.max-backoff", "400ms");
        properties.put("oneclick.mail.from", "oneclick@example.com");
        properties.put("oneclick.mail.approvals-url", "https://oneclick.example.com/approvals");
        properties.put("oneclick.data.dir", dataDir().toString());
        properties.putAll(overrides);
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    static void awaitOutboxEmpty(EmbeddedServer notifier) {
        OutboxLog outbox = notifier.getApplicationContext().getBean(OutboxLog.class);
        await().until(() -> outbox.pending().isEmpty());
    }

    /** Waits until the notifier has committed past the last record of every partition it consumes. */
    static void awaitEverythingConsumed() {
        BinaryOperator<ConsumerRecord<byte[], byte[]>> later = (a, b) -> b.offset() > a.offset() ? b : a;
        for (String topic : CONSUMED) {
            KafkaTestClient.readAll(topic).stream()
                    .collect(Collectors.toMap(ConsumerRecord::partition, r -> r, later))
                    .values()
                    .forEach(last -> KafkaTestClient.awaitConsumed(EventListener.GROUP_ID, last));
        }
    }

    static List<NotificationSent> notificationsFor(String requestId) {
        return KafkaTestClient.recordsFor(Topics.NOTIFIED, requestId).stream()
                .map(KafkaTestClient::decode)
                .map(event -> {
                    assertThat(event).isInstanceOf(NotificationSent.class);
                    return (NotificationSent) event;
                })
                .toList();
    }

    static byte[] header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return header.value();
    }

    static String text(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(header(record, name), StandardCharsets.UTF_8);
    }

    static List<MimeMessage> mailsTo(MimeMessage[] received, String recipient) throws MessagingException {
        List<MimeMessage> mails = new ArrayList<>();
        for (MimeMessage message : received) {
            Address[] to = message.getRecipients(Message.RecipientType.TO);
            if (to != null && Arrays.stream(to).anyMatch(a -> recipient.equals(((InternetAddress) a).getAddress()))) {
                mails.add(message);
            }
        }
        return mails;
    }

    static String part(MimeMessage mail, String mimeType) throws MessagingException, IOException {
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

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
