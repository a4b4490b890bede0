package com.oneclick.deploy.fault;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * A real SMTP server (GreenMail, in this JVM) on a fixed loopback port that can be stopped (the port
 * refuses connections) and started again on the same port. GreenMail forgets its mail when it
 * stops, so what arrived before a stop is kept here: {@link #received()} is every message since the
 * first start.
 */
final class Mailbox {

    /** One received message: who it went to and its subject. */
    record Mail(List<String> recipients, String subject) {
    }

    private final int port;
    private final List<Mail> archived = new ArrayList<>();
    private GreenMail server;

    Mailbox(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("the mail server is running");
        }
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        GreenMail greenMail = new GreenMail(setup)
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        server = greenMail;
    }

    /** Keeps what arrived, then stops the server: connections to the port are refused until {@link #start}. */
    synchronized void stop() {
        if (server == null) {
            return;
        }
        archived.addAll(current());
        server.stop();
        server = null;
    }

    synchronized List<Mail> received() {
        List<Mail> all = new ArrayList<>(archived);
        all.addAll(current());
        return all;
    }

    private List<Mail> current() {
        if (server == null) {
            return List.of();
        }
        List<Mail> mails = new ArrayList<>();
        for (MimeMessage message : server.getReceivedMessages()) {
            try {
                List<String> to = new ArrayList<>();
                Address[] recipients = message.getAllRecipients();
                if (recipients != null) {
                    for (Address address : recipients) {
                        to.add(address.toString());
                    }
                }
                mails.add(new Mail(List.copyOf(to), message.getSubject()));
            } catch (MessagingException e) {
                throw new IllegalStateException("cannot read a received message", e);
            }
        }
        return mails;
    }
}
