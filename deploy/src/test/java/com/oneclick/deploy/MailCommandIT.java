package com.oneclick.deploy;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./oneclick mail} against the real GreenMail standalone jar the local stack runs. */
class MailCommandIT {

    @TempDir
    static Path work;

    private static MailServer mailServer;
    private static ServiceProcess greenmail;
    private static int smtpPort;

    @BeforeAll
    static void startTheMailServer() {
        Path jar = Path.of(System.getProperty("oneclick.greenmail.jar"));
        smtpPort = Ports.freePort();
        mailServer = new MailServer(jar, work.resolve("greenmail.log"), smtpPort, Ports.freePort());
        greenmail = mailServer.start(work);
        mailServer.awaitReady(greenmail, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopTheMailServer() {
        if (greenmail != null) {
            greenmail.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void printsSenderSubjectAndPlainTextOfEachMessage() throws Exception {
        // given a multipart message (text and HTML) delivered over SMTP
        send("dev@example.com", "OneClick: your instance web-1 is ready (i-0123456789abcdef0)",
                "Instance ID:  i-0123456789abcdef0\nThis instance was simulated by the local build.",
                "<p>Instance ID: <b>i-0123456789abcdef0</b></p>");

        // when the mailbox is printed
        String printed = run("dev@example.com");

        // then the person reads the headers and the text part, not MIME
        assertThat(printed).contains("1 message(s) for dev@example.com")
                .contains("From:    OneClick <oneclick@localhost>")
                .contains("Subject: OneClick: your instance web-1 is ready (i-0123456789abcdef0)")
                .contains("Instance ID:  i-0123456789abcdef0")
                .contains("simulated by the local build")
                .doesNotContain("<b>").doesNotContain("Content-Type");
    }

    @Test
    void saysSoWhenAnAddressHasNoMail() throws Exception {
        assertThat(run("nobody@example.com")).contains("No mail for nobody@example.com.");
    }

    private static String run(String address) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit = new MailCommand(URI.create(mailServer.apiUrl()), new PrintStream(buffer, true,
                StandardCharsets.UTF_8)).run(address);
        assertThat(exit).isZero();
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static void send(String to, String subject, String text, String html) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(smtpPort));
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("oneclick@localhost", "OneClick"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject, "UTF-8");
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText(text, "UTF-8");
        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setContent(html, "text/html; charset=UTF-8");
        message.setContent(new MimeMultipart("alternative", textPart, htmlPart));
        Transport.send(message);
    }
}
