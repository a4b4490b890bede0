package com.oneclick.notifier.kafka;

import com.oneclick.model.Topics;
import com.oneclick.notifier.DeadLetters;
import com.oneclick.notifier.RecordOrigin;
import com.oneclick.notifier.outbox.DeadLetterLog;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Sends a record that can never be processed, or whose email was given up, to
 * {@code <topic>.dlt}: same key, value and headers, plus the reason and origin in the headers the
 * Spring services' dead letters carry (Spring Cloud Stream's Kafka binder: text for topic and
 * message, big-endian int/long for partition, offset and timestamp), so one tool reads every
 * dead-letter topic; plus the notifier's own {@code x-oneclick-*} headers (text). Then remembers it
 * in the {@link DeadLetterLog}.
 */
public class KafkaDeadLetters implements DeadLetters {

    public static final String EXCEPTION_MESSAGE = "x-exception-message";
    public static final String EXCEPTION_FQCN = "x-exception-fqcn";
    public static final String ORIGINAL_TOPIC = "x-original-topic";
    public static final String ORIGINAL_PARTITION = "x-original-partition";
    public static final String ORIGINAL_OFFSET = "x-original-offset";
    public static final String ORIGINAL_TIMESTAMP = "x-original-timestamp";
    /** {@code unreadable}, {@code mail-rejected} or {@code mail-gave-up}. */
    public static final String CAUSE = "x-oneclick-dead-letter-cause";
    /** {@code record}, or the email given up, e.g. {@code PROVISIONED} or {@code APPROVAL_REQUESTED/1/a@b.c}. */
    public static final String SUBJECT = "x-oneclick-dead-letter-subject";
    public static final String MAIL_RECIPIENT = "x-oneclick-mail-recipient";
    public static final String MAIL_ATTEMPTS = "x-oneclick-mail-attempts";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetters.class);

    private final EventRecords records;
    private final DeadLetterLog log;

    public KafkaDeadLetters(EventRecords records, DeadLetterLog log) {
        this.records = records;
        this.log = log;
    }

    @Override
    public boolean contains(RecordOrigin origin, String subject) {
        return log.contains(origin, subject);
    }

    @Override
    public void send(RecordOrigin origin, DeadLetter letter) {
        String deadLetterTopic = Topics.deadLetter(origin.topic());
        RecordHeaders headers = new RecordHeaders();
        for (RecordOrigin.Header header : origin.headers()) {
            headers.add(header.name(), header.value());
        }
        headers.add(EXCEPTION_MESSAGE, text(letter.message()));
        headers.add(EXCEPTION_FQCN, text(letter.exception()));
        headers.add(ORIGINAL_TOPIC, text(origin.topic()));
        headers.add(ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(origin.partition()).array());
        headers.add(ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(origin.offset()).array());
        headers.add(ORIGINAL_TIMESTAMP, ByteBuffer.allocate(Long.BYTES).putLong(origin.timestamp()).array());
        headers.add(CAUSE, text(letter.cause()));
        headers.add(SUBJECT, text(letter.subject()));
        if (letter.recipient() != null) {
            headers.add(MAIL_RECIPIENT, text(letter.recipient()));
            headers.add(MAIL_ATTEMPTS, text(String.valueOf(letter.attempts())));
        }
        records.send(deadLetterTopic, origin.key(), origin.value(), headers);
        log.remember(origin, letter.subject());
        LOG.warn("Record {} ({} {}) sent to {}: {}", origin.position(), letter.cause(), letter.subject(),
                deadLetterTopic, letter.message());
    }

    private static byte[] text(String value) {
        return (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
    }
}
