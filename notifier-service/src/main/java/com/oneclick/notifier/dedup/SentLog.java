package com.oneclick.notifier.dedup;

import com.oneclick.model.RequestIds;
import com.oneclick.notifier.MailId;
import com.oneclick.notifier.SentNotifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The de-duplication record: an append-only text file, one line per step, fsynced after each
 * append and read back whole on start.
 * <pre>
 * requestId slot eventId            the mail server accepted the email
 * requestId slot eventId notified   NotificationSent for it was acknowledged by the broker
 * </pre>
 * {@code slot} is {@link MailId#slot()}: the kind for requester emails ({@code PROVISIONED}),
 * {@code APPROVAL_REQUESTED/<round>/<address>} for approver emails.
 * {@link #markAnnounced(Map)} writes the lines of a whole batch with one fsync.
 * A last line cut short by a crash is dropped on start (that step counts as not done, so at
 * worst one email is sent again). Lines that cannot be parsed are logged and skipped.
 */
public final class SentLog implements SentNotifications, AutoCloseable {

    public static final String FILE_NAME = "sent.log";
    static final String NOTIFIED = "notified";

    private static final Logger LOG = LoggerFactory.getLogger(SentLog.class);

    private final Path file;
    private final Map<String, State> states = new HashMap<>();
    private final FileChannel channel;

    public SentLog(Path directory) {
        this.file = directory.resolve(FILE_NAME);
        try {
            Files.createDirectories(directory);
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            load();
            channel.position(channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the notifier's sent log " + file, e);
        }
        LOG.info("Sent log {}: {} notification(s) on record", file, states.size());
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized State state(MailId mail) {
        return states.getOrDefault(mail.toString(), State.NONE);
    }

    @Override
    public synchronized void markMailed(MailId mail, UUID sourceEventId) {
        append(List.of(mail + " " + sourceEventId));
        states.merge(mail.toString(), State.MAILED, SentLog::furthest);
    }

    @Override
    public synchronized void markAnnounced(MailId mail, UUID sourceEventId) {
        markAnnounced(Map.of(mail, sourceEventId));
    }

    @Override
    public synchronized void markAnnounced(Map<MailId, UUID> mails) {
        if (mails.isEmpty()) {
            return;
        }
        append(mails.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + " " + NOTIFIED).toList());
        mails.keySet().forEach(mail -> states.put(mail.toString(), State.ANNOUNCED));
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    /** Appends the lines and fsyncs once. */
    private void append(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            if (!RequestIds.isValid(line.substring(0, line.indexOf(' ')))) {
                throw new IllegalArgumentException("not a request ID: " + line);
            }
            text.append(line).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the sent log " + file, e);
        }
    }

    private void load() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            LOG.warn("Sent log {} ends with an incomplete line (a crash during an append); dropping it: '{}'",
                    file, new String(bytes, end, bytes.length - end, StandardCharsets.UTF_8));
            channel.truncate(end);
            channel.force(false);
        }
        String content = new String(bytes, 0, end, StandardCharsets.UTF_8);
        int lineNumber = 0;
        for (String line : content.split("\n")) {
            lineNumber++;
            if (!line.isBlank() && !parse(line)) {
                LOG.warn("Sent log {} line {} is not a notification record; skipped: '{}'", file, lineNumber, line);
            }
        }
    }

    private boolean parse(String line) {
        String[] parts = line.strip().split(" ");
        if (parts.length < 3 || parts.length > 4 || !RequestIds.isValid(parts[0])) {
            return false;
        }
        MailId mail;
        try {
            mail = MailId.parse(parts[0], parts[1]);
            UUID.fromString(parts[2]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        State state;
        if (parts.length == 3) {
            state = State.MAILED;
        } else if (NOTIFIED.equals(parts[3])) {
            state = State.ANNOUNCED;
        } else {
            return false;
        }
        states.merge(mail.toString(), state, SentLog::furthest);
        return true;
    }

    private static State furthest(State a, State b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
