package com.oneclick.notifier.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.oneclick.notifier.config.SmtpProperties;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Connection reuse against a real SMTP server (GreenMail), seen through a relay that counts connections. */
class SmtpConnectionsTest {

    private final AtomicLong clock = new AtomicLong();
    private GreenMail greenMail;
    private CountingProxy proxy;
    private Session session;
    private SmtpConnections connections;

    @BeforeEach
    void start() throws Exception {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        proxy = new CountingProxy(greenMail.getSmtp().getPort());
        session = new SmtpSessionProvider(new SmtpProperties("127.0.0.1", proxy.port(), null, null, false,
                Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(24))).session();
        connections = new SmtpConnections(session, clock::get);
    }

    @AfterEach
    void stop() throws Exception {
        connections.close();
        proxy.close();
        greenMail.stop();
    }

    @Test
    void emailsInARowShareOneConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            connections.send(message("dev" + i + "@example.com", "email " + i));
            clock.addAndGet(Duration.ofMillis(100).toNanos());
        }

        assertThat(subjects()).containsExactly("email 0", "email 1", "email 2");
        assertThat(proxy.accepted()).isEqualTo(1);
        assertThat(connections.idleCount()).isEqualTo(1);
    }

    @Test
    void connectionTheServerDroppedWhileIdleIsReplacedBeforeTheNextEmail() throws Exception {
        connections.send(message("dev@example.com", "before"));
        proxy.dropAll();
        clock.addAndGet(SmtpConnections.CHECK_AFTER_IDLE.toNanos());

        connections.send(message("dev@example.com", "after"));

        assertThat(subjects()).containsExactly("before", "after");
        assertThat(proxy.accepted()).isEqualTo(2);
    }

    @Test
    void failedSendClosesItsConnectionAndTheNextEmailOpensAnother() throws Exception {
        connections.send(message("dev@example.com", "first"));
        // GreenMail answers "500 Command too long" to a sender address over 4096 characters
        MimeMessage refused = message("dev@example.com", "refused");
        refused.setFrom(new InternetAddress("a".repeat(5000) + "@example.com"));

        assertThatThrownBy(() -> connections.send(refused)).isInstanceOf(MessagingException.class);
        connections.send(message("dev@example.com", "second"));

        assertThat(subjects()).containsExactly("first", "second");
        assertThat(proxy.accepted()).isEqualTo(2);
        await().untilAsserted(() -> assertThat(proxy.quits()).isEqualTo(1));
    }

    @Test
    void connectionIdleTooLongIsClosedAndNotReused() throws Exception {
        connections.send(message("dev@example.com", "first"));
        clock.addAndGet(SmtpConnections.MAX_IDLE.toNanos());

        connections.send(message("dev@example.com", "second"));

        assertThat(subjects()).containsExactly("first", "second");
        assertThat(proxy.accepted()).isEqualTo(2);
        await().untilAsserted(() -> assertThat(proxy.quits()).isEqualTo(1));
        assertThat(connections.idleCount()).isEqualTo(1);
    }

    @Test
    void connectionIsRetiredAfterItsQuotaOfEmails() throws Exception {
        for (int i = 0; i <= SmtpConnections.MAX_MESSAGES; i++) {
            connections.send(message("dev@example.com", "email " + i));
        }

        assertThat(greenMail.getReceivedMessages()).hasSize(SmtpConnections.MAX_MESSAGES + 1);
        assertThat(proxy.accepted()).isEqualTo(2);
        await().untilAsserted(() -> assertThat(proxy.quits()).isEqualTo(1));
    }

    @Test
    void closingEndsTheIdleConnectionsAndRefusesFurtherEmails() throws Exception {
        connections.send(message("dev@example.com", "only"));

        connections.close();

        await().untilAsserted(() -> assertThat(proxy.quits()).isEqualTo(1));
        assertThat(connections.idleCount()).isZero();
        assertThatThrownBy(() -> connections.send(message("dev@example.com", "late")))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("closed");
        assertThat(subjects()).containsExactly("only");
    }

    private MimeMessage message(String to, String subject) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("oneclick@localhost"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("body of " + subject);
        return message;
    }

    private String[] subjects() {
        return Arrays.stream(greenMail.getReceivedMessages()).map(m -> {
            try {
                return m.getSubject();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(String[]::new);
    }
}
