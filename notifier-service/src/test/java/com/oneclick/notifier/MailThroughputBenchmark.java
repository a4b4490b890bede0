package com.oneclick.notifier;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.oneclick.model.Topics;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.notifier.delivery.MailSender;
import com.oneclick.notifier.outbox.OutboxLog;
import com.oneclick.testsupport.KafkaTestClient;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.oneclick.notifier.TestEvents.newRequestId;
import static com.oneclick.notifier.TestEvents.provisioned;
import static com.oneclick.notifier.TestEvents.request;
import static com.oneclick.notifier.TestEvents.requesterOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prints how many emails per second the notifier delivers: the real service (its outbox, sent log,
 * sender threads and Kafka producer) against a real broker ({@code KafkaSupport}) and a real SMTP
 * server (GreenMail). Each request queues its three requester emails (received, approved, ready) the
 * way the Kafka listener does, all at once; the clock stops when the outbox is empty. A benchmark,
 * not a test: its name keeps it out of the default run. Run it with
 * <pre>
 * ./mvnw -B -o -q -pl notifier-service -am verify -Dtest=MailThroughputBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.requests=100 -Dbench.senders=4
 * </pre>
 * It checks (and fails on) what must hold whatever the speed: every email once, in order per
 * request, one NotificationSent each.
 */
class MailThroughputBenchmark {

    private static final int REQUESTS = Integer.getInteger("bench.requests", 100);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 5);
    private static final String SENDERS = System.getProperty("bench.senders", "4");

    @Test
    void printsEmailsPerSecond() throws Exception {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        Path data = Files.createTempDirectory("notifier-bench");
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("oneclick.data.dir", data.toString());
        overrides.put("oneclick.mail.senders", SENDERS);
        try (EmbeddedServer notifier = ServiceHarness.runNotifier(greenMail.getSmtp().getPort(), overrides)) {
            Notifications notifications = notifier.getApplicationContext().getBean(Notifications.class);
            MailSender sender = notifier.getApplicationContext().getBean(MailSender.class);
            OutboxLog outbox = notifier.getApplicationContext().getBean(OutboxLog.class);

            run(notifications, sender, outbox, WARMUP);
            int before = greenMail.getReceivedMessages().length;
            long start = System.nanoTime();
            List<String> requestIds = run(notifications, sender, outbox, REQUESTS);
            double seconds = (System.nanoTime() - start) / 1e9;

            int emails = REQUESTS * 3;
            assertThat(greenMail.getReceivedMessages()).hasSize(before + emails);
            assertInOrderPerRequest(greenMail.getReceivedMessages(), requestIds);
            Set<String> ids = new HashSet<>(requestIds);
            List<NotificationSent> announced = KafkaTestClient.readAll(Topics.NOTIFIED).stream()
                    .map(KafkaTestClient::decode).map(NotificationSent.class::cast)
                    .filter(n -> ids.contains(n.requestId())).toList();
            assertThat(announced).hasSize(emails);
            System.out.printf("mail-bench: senders=%s requests=%d emails=%d seconds=%.2f emails/s=%.1f%n",
                    SENDERS, REQUESTS, emails, seconds, emails / seconds);
        } finally {
            greenMail.stop();
        }
    }

    private static List<String> run(Notifications notifications, MailSender sender, OutboxLog outbox, int requests) {
        List<String> ids = new ArrayList<>();
        long offset = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            String id = newRequestId();
            ids.add(id);
            var request = request("bench-" + i, requesterOf(id));
            List<RequestEvent> events = List.of(RequestSubmitted.of(id, request),
                    RequestApproved.of(id, "alice", null, request), provisioned(id, "bench-" + i, true));
            for (RequestEvent event : events) {
                notifications.accept(event, Fakes.origin(event, offset++));
                sender.wakeUp();
            }
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> outbox.pending().isEmpty());
        return ids;
    }

    private static void assertInOrderPerRequest(MimeMessage[] received, List<String> requestIds) throws Exception {
        Map<String, List<String>> subjects = new HashMap<>();
        for (MimeMessage message : received) {
            String to = ((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
            subjects.computeIfAbsent(to, k -> new ArrayList<>()).add(message.getSubject());
        }
        for (String id : requestIds) {
            List<String> mine = subjects.get(requesterOf(id));
            assertThat(mine).hasSize(3);
            assertThat(mine.get(0)).containsIgnoringCase("received");
            assertThat(mine.get(1)).containsIgnoringCase("approved");
            assertThat(mine.get(2)).containsIgnoringCase("ready");
        }
    }
}
