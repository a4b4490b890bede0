package com.oneclick.notifier.outbox;

import com.oneclick.notifier.RecordOrigin;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The memory of what was dead-lettered, {@code <data dir>/dead-letters.log}, append-only and
 * fsynced after every line:
 * <pre>
 * topic partition offset sha256(key, value) subject
 * </pre>
 * {@code subject} is {@code record} for a record that could not be read, or the mail slot of an
 * email that was given up. A record counts as the same only at the same position with the same
 * content, so a topic that was deleted and re-created does not hide new poison records, and a
 * dead letter that ops re-publish (at a new offset) is handled afresh.
 */
public final class DeadLetterLog implements AutoCloseable {

    public static final String FILE_NAME = "dead-letters.log";
    private static final Pattern FIELD = Pattern.compile("\\S+");
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);

    private final Path file;
    private final Set<String> entries = new HashSet<>();
    private final FileChannel channel;

    public DeadLetterLog(Path directory) {
        this.file = directory.resolve(FILE_NAME);
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            byte[] bytes = Files.readAllBytes(file);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            if (end < bytes.length) {
                LOG.warn("Dead-letter log {} ends with an incomplete line; dropping it", file);
                channel.truncate(end);
                channel.force(false);
            }
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    entries.add(line.strip());
                }
            }
            channel.position(channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the dead-letter log " + file, e);
        }
    }

    public synchronized boolean contains(RecordOrigin origin, String subject) {
        return entries.contains(line(origin, subject));
    }

    public synchronized void remember(RecordOrigin origin, String subject) {
        String line = line(origin, subject);
        if (!entries.add(line)) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            entries.remove(line);
            throw new UncheckedIOException("cannot append to the dead-letter log " + file, e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private static String line(RecordOrigin origin, String subject) {
        if (!FIELD.matcher(origin.topic()).matches() || !FIELD.matcher(subject).matches()) {
            throw new IllegalArgumentException("topic and subject must be single words");
        }
        return origin.topic() + ' ' + origin.partition() + ' ' + origin.offset() + ' ' + fingerprint(origin) + ' '
                + subject;
    }

    static String fingerprint(RecordOrigin origin) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] key = origin.key() == null ? new byte[0] : origin.key();
            byte[] value = origin.value() == null ? new byte[0] : origin.value();
            sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(origin.key() == null ? -1 : key.length).array());
            sha.update(key);
            sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(origin.value() == null ? -1 : value.length).array());
            sha.update(value);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
