package com.oneclick.notifier.intake;

import com.oneclick.model.Topics;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.json.EventJson;
import com.oneclick.model.json.UnreadableEventException;
import com.oneclick.notifier.Notifications;
import com.oneclick.notifier.RecordOrigin;
import com.oneclick.notifier.delivery.MailSender;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Thin: decode, hand to the use case, done. The use case only queues emails in the durable outbox
 * (the mail server is talked to by {@link MailSender}'s threads), so a record takes milliseconds
 * whatever the mail server does, and the consumer stays far inside {@code max.poll.interval.ms}.
 *
 * <p>Records come as a batch: whatever one poll returns, across the six topics. The consumer commits
 * its positions itself, at most every {@code auto.commit.interval.ms} (1 s), in a later poll (Kafka's
 * auto-commit, micronaut-kafka's AUTO strategy): the listener runs on the polling thread, so a
 * position is committed only once the batch before it returned. (Committing after every batch cost
 * the broker an offset commit per email-bearing event; a replay after a crash brings back at most the
 * last second of records, which are recognised and change nothing.) An unreadable record goes to its
 * dead-letter topic and the batch carries on. Any other failure (the outbox cannot be written, the
 * broker does not acknowledge a dead letter) rewinds every partition of the batch to where the
 * batch began, and the batch is delivered again after {@link #REDELIVERY_DELAY}; its records that
 * were handled before the failure are recognised then (queued, sent or dead-lettered already) and
 * change nothing. The listener rewinds by itself rather than through micronaut-kafka's retrying
 * error strategy: that strategy reads each partition's position from before the poll, and a batch
 * that failed in the poll that assigned its partitions (the first one after a start or a
 * rebalance) had none, so it failed with a NullPointerException and the batch was not delivered
 * again. The next commit commits the consumer's positions, the rewound ones included.
 *
 * <p>Why a batch and not one record per poll: a consumer holding fetched records of one partition
 * sends no new fetch for it until an earlier fetch for the other partitions returns, which takes up
 * to {@code fetch.max.wait.ms} (500 ms) when they are quiet; with one record per poll every record
 * after the first of a fetch could wait that long. (One record per poll was there because
 * micronaut-kafka, rewinding a failed record, re-seeks the rest of the batch by partition number
 * only, which across several topics could skip records of another topic; a batch listener rewinds
 * every topic and partition of the batch.)
 */
@KafkaListener(
        groupId = EventListener.GROUP_ID,
        offsetReset = OffsetReset.EARLIEST,
        batch = true,
        offsetStrategy = OffsetStrategy.AUTO,
        properties = {
                @Property(name = ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, value = "1000"),
                @Property(name = ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        value = "org.apache.kafka.common.serialization.ByteArrayDeserializer"),
                @Property(name = ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        value = "org.apache.kafka.common.serialization.ByteArrayDeserializer")
        })
public class EventListener {

    public static final String GROUP_ID = "oneclick-notifier";
    static final Duration REDELIVERY_DELAY = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(EventListener.class);

    private final Notifications notifications;
    private final MailSender sender;

    public EventListener(Notifications notifications, MailSender sender) {
        this.notifications = notifications;
        this.sender = sender;
    }

    @Topic({Topics.REQUESTED, Topics.AWAITING_APPROVAL, Topics.APPROVED, Topics.REJECTED, Topics.PROVISIONED,
            Topics.FAILED})
    public void receive(ConsumerRecords<byte[], byte[]> records, Consumer<?, ?> consumer) {
        int queued = 0;
        try {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                queued += receive(record);
            }
        } catch (RuntimeException e) {
            log.warn("A batch of {} record(s) could not be handled; it is delivered again in {} s", records.count(),
                    REDELIVERY_DELAY.toSeconds(), e);
            rewind(records, consumer);
            pause(REDELIVERY_DELAY);
        } finally {
            if (queued > 0) {
                sender.wakeUp();
            }
        }
    }

    /** Puts every partition of the batch back to the batch's first record of it. */
    static void rewind(ConsumerRecords<?, ?> records, Consumer<?, ?> consumer) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int receive(ConsumerRecord<byte[], byte[]> record) {
        RecordOrigin origin = origin(record);
        try {
            Header type = record.headers().lastHeader(EventJson.TYPE_HEADER);
            RequestEvent event = EventJson.read(type == null ? null : type.value(), record.value());
            return notifications.accept(event, origin);
        } catch (UnreadableEventException e) {
            notifications.refuse(origin, e);
            return 0;
        }
    }

    static RecordOrigin origin(ConsumerRecord<byte[], byte[]> record) {
        List<RecordOrigin.Header> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new RecordOrigin.Header(header.key(), header.value()));
        }
        return new RecordOrigin(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value(), headers);
    }
}
