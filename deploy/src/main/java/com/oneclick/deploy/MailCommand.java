package com.oneclick.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * {@code ./oneclick mail <address>}: the local mail server's messages for one recipient, as text a
 * person reads in a terminal (sender, date, subject and the plain-text part), oldest first.
 */
final class MailCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI apiRoot;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    MailCommand(URI apiRoot, PrintStream out) {
        this.apiRoot = apiRoot;
        this.out = out;
    }

    /** Prints the mailbox; returns the exit code. */
    int run(String address) throws IOException, InterruptedException {
        URI messages = apiRoot.resolve("api/user/" + URLEncoder.encode(address, StandardCharsets.UTF_8)
                + "/messages");
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(messages).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("the local mail server does not answer at " + apiRoot
                    + "; is ./oneclick up running?");
        }
        if (response.statusCode() == 400 || response.statusCode() == 404) {
            // GreenMail knows a mailbox only once a message came for it
            out.println("No mail for " + address + ".");
            return 0;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the mail server answered " + response.statusCode() + " for " + messages);
        }
        JsonNode list = JSON.readTree(response.body());
        if (!list.isArray() || list.isEmpty()) {
            out.println("No mail for " + address + ".");
            return 0;
        }
        out.println(list.size() + " message(s) for " + address + ":");
        for (JsonNode message : list) {
            print(message.path("mimeMessage").asText(""));
        }
        return 0;
    }

    private void print(String raw) {
        out.println();
        out.println("-".repeat(72));
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
            out.println("From:    " + addresses(message.getFrom()));
            out.println("To:      " + addresses(message.getRecipients(Message.RecipientType.TO)));
            out.println("Date:    " + message.getSentDate());
            out.println("Subject: " + message.getSubject());
            out.println();
            String text = plainText(message);
            out.println(text == null ? "(no plain-text part)" : text.strip());
        } catch (MessagingException | IOException e) {
            out.println("(could not read this message: " + e.getMessage() + ")");
        }
    }

    private static String addresses(jakarta.mail.Address[] addresses) {
        if (addresses == null) {
            return "";
        }
        return Arrays.stream(addresses)
                .map(a -> a instanceof InternetAddress internet ? internet.toUnicodeString() : a.toString())
                .collect(Collectors.joining(", "));
    }

    /** The first text/plain part, depth first. */
    static String plainText(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/plain")) {
            return String.valueOf(part.getContent());
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String text = plainText(child);
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }
}
