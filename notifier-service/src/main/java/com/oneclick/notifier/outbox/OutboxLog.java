package com.oneclick.notifier.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.json.EventJson;
import com.oneclick.notifier.MailId;
import com.oneclick.notifier.Outbox;
import com.oneclick.notifier.QueuedMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outbox as an append-only text file, {@code <data dir>/outbox.log}, fsynced after every line:
 * <pre>
 * queued &lt;base64 of the queued email as JSON&gt;
 * sent &lt;id&gt;
 * dead &lt;id&gt;
 * </pre>
 * Read back whole on start; a last line cut short by a crash is dropped (that step counts as not
 * done). On start the file is also compacted: what is still queued is written to a temporary file,
 * fsynced, and moved over the log atomically, so the log does not grow without end.
 * {@link #markSent(Collection)} writes the lines of a whole batch with one fsync. Finding an email by
 * its identity ({@link #isPending}) is a map lookup, not a scan.
 */
public final class OutboxLog implements Outbox, AutoCloseable {

    public static final String FILE_NAME = "outbox.log";
    static final String QUEUED = "queued";
    static final String SENT = "sent";
    static final String DEAD = "dead";

    private static final Logger LOG = LoggerFactory.getLogger(OutboxLog.class);
    private static final ObjectMapper JSON = EventJson.mapper();

    private final Path file;
    private final Map<UUID, QueuedMail> pending = new LinkedHashMap<>();
    private final Map<MailId, Integer> pendingIds = new HashMap<>();
    private FileChannel channel;

    public OutboxLog(Path directory) {
        this.file = directory.resolve(FILE_NAME);
        try {
            Files.createDirectories(directory);
            boolean finishedLines = load();
            if (finishedLines) {
                compact(directory);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.position(channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the notifier's outbox " + file, e);
        }
        LOG.info("Outbox {}: {} email(s) waiting", file, pending.size());
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void enqueue(QueuedMail mail) {
        String json;
        try {
            json = JSON.writeValueAsString(mail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the queued email " + mail.mailId(), e);
        }
        append(List.of(QUEUED + ' ' + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))));
        add(mail);
    }

    @Override
    public synchronized List<QueuedMail> pending() {
        return List.copyOf(pending.values());
    }

    @Override
    public synchronized boolean isPending(MailId mailId) {
        return pendingIds.containsKey(mailId);
    }

    @Override
    public synchronized void markSent(UUID id) {
        finish(SENT, List.of(id));
    }

    @Override
    public synchronized void markSent(Collection<UUID> ids) {
        finish(SENT, ids);
    }

    @Override
    public synchronized void markDeadLettered(UUID id) {
        finish(DEAD, List.of(id));
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private void finish(String state, Collection<UUID> ids) {
        List<UUID> known = ids.stream().filter(pending::containsKey).distinct().toList();
        if (known.isEmpty()) {
            return;
        }
        append(known.stream().map(id -> state + ' ' + id).toList());
        known.forEach(this::remove);
    }

    private void add(QueuedMail mail) {
        QueuedMail before = pending.put(mail.id(), mail);
        if (before == null) {
            pendingIds.merge(mail.mailId(), 1, Integer::sum);
        }
    }

    private void remove(UUID id) {
        QueuedMail mail = pending.remove(id);
        if (mail != null) {
            pendingIds.computeIfPresent(mail.mailId(), (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Appends the lines and fsyncs once. */
    private void append(List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the outbox " + file, e);
        }
    }

    /** Reads the log; returns whether it holds lines for finished emails (worth compacting). */
    private boolean load() throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        boolean rewrite = false;
        if (end < bytes.length) {
            LOG.warn("Outbox {} ends with an incomplete line (a crash during an append); dropping it", file);
            rewrite = true;
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            String verb = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space + 1);
            try {
                switch (verb) {
                    case QUEUED -> {
                        QueuedMail mail = JSON.readValue(Base64.getDecoder().decode(rest), QueuedMail.class);
                        add(mail);
                    }
                    case SENT, DEAD -> {
                        remove(UUID.fromString(rest));
                        rewrite = true;
                    }
                    default -> throw new IllegalArgumentException("unknown entry " + verb);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Outbox {} line {} cannot be read; skipped ({})", file, i + 1, e.toString());
                rewrite = true;
            }
        }
        return rewrite;
    }

    private void compact(Path directory) throws IOException {
        Path temporary = directory.resolve(FILE_NAME + ".tmp");
        List<String> lines = new ArrayList<>();
        for (QueuedMail mail : pending.values()) {
            lines.add(QUEUED + ' ' + Base64.getEncoder().encodeToString(
                    JSON.writeValueAsString(mail).getBytes(StandardCharsets.UTF_8)));
        }
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap((lines.isEmpty() ? "" : String.join("\n", lines) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot fsync directory {} on this platform: {}", directory, e.toString());
        }
    }
}
