package com.oneclick.notifier.intake;

import com.oneclick.model.Topics;
import com.oneclick.notifier.kafka.EventRecords;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Sends a record that can never be processed to {@code <topic>.dlt}: same key, value and headers,
 * plus the reason and origin in the headers the Spring services' dead letters carry (Spring Cloud
 * Stream's Kafka binder: text for topic and message, big-endian int/long for partition, offset and
 * timestamp), so one tool reads every dead-letter topic.
 */
@Singleton
public class DeadLetters {

    public static final String EXCEPTION_MESSAGE = "x-exception-message";
    public static final String EXCEPTION_FQCN = "x-exception-fqcn";
    public static final String ORIGINAL_TOPIC = "x-original-topic";
    public static final String ORIGINAL_PARTITION = "x-original-partition";
    public static final String ORIGINAL_OFFSET = "x-original-offset";
    public static final String ORIGINAL_TIMESTAMP = "x-original-timestamp";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final EventRecords records;

    public DeadLetters(EventRecords records) {
        this.records = records;
    }

    /** Publishes the dead letter and waits for the broker's acknowledgement. */
    public void send(ConsumerRecord<byte[], byte[]> record, Exception reason) {
        String deadLetterTopic = Topics.deadLetter(record.topic());
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        String message = reason.getMessage() == null ? reason.getClass().getName() : reason.getMessage();
        headers.add(EXCEPTION_MESSAGE, message.getBytes(StandardCharsets.UTF_8));
        headers.add(EXCEPTION_FQCN, reason.getClass().getName().getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGINAL_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(record.partition()).array());
        headers.add(ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(record.offset()).array());
        headers.add(ORIGINAL_TIMESTAMP, ByteBuffer.allocate(Long.BYTES).putLong(record.timestamp()).array());
        records.send(deadLetterTopic, record.key(), record.value(), headers);
        LOG.warn("Unreadable record {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
                deadLetterTopic, message);
    }
}
