package com.oneclick.deploy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * GreenMail standalone (its runnable jar from Maven Central) as a child process: SMTP without
 * authentication, so every recipient gets a mailbox, and the REST API / web page to read the mail.
 * Mail is kept in memory only: a restart empties every mailbox.
 */
public final class MailServer {

    private final Path jar;
    private final Path logFile;
    private final int smtpPort;
    private final int apiPort;

    public MailServer(Path jar, Path logFile, int smtpPort, int apiPort) {
        this.jar = jar;
        this.logFile = logFile;
        this.smtpPort = smtpPort;
        this.apiPort = apiPort;
    }

    public ServiceProcess start(Path workDir) {
        return ServiceProcess.builder("greenmail")
                .javaJar(jar, List.of(
                        "-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dgreenmail.smtp.hostname=127.0.0.1",
                        "-Dgreenmail.smtp.port=" + smtpPort,
                        "-Dgreenmail.auth.disabled",
                        "-Dgreenmail.api.hostname=127.0.0.1",
                        "-Dgreenmail.api.port=" + apiPort))
                .workDir(workDir)
                .logFile(logFile)
                .start();
    }

    /** Waits until the API reports readiness and SMTP accepts connections. */
    public void awaitReady(ServiceProcess greenmail, Duration timeout) {
        greenmail.awaitHealthy(URI.create(apiUrl() + "api/service/readiness"), timeout);
        greenmail.awaitReady(timeout, "accept SMTP connections on 127.0.0.1:" + smtpPort, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", smtpPort), 1000);
                return true;
            }
        });
    }

    /** The web page (the API's documentation, with "try it") and the API root. */
    public String apiUrl() {
        return "http://127.0.0.1:" + apiPort + "/";
    }

    /** The REST endpoint that lists a user's INBOX as JSON (subject, raw MIME message). */
    public String messagesUrl(String email) {
        return apiUrl() + "api/user/" + email + "/messages";
    }
}
