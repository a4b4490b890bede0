package com.oneclick.notifier.intake;

import com.oneclick.model.Topics;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.json.EventJson;
import com.oneclick.model.json.UnreadableEventException;
import com.oneclick.notifier.Notifications;
import com.oneclick.notifier.RecordOrigin;
import com.oneclick.notifier.delivery.MailSender;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.util.ArrayList;
import java.util.List;

/**
 * Thin: decode, hand to the use case, done. The use case only queues emails in the durable outbox
 * (the mail server is talked to by {@link MailSender}'s thread), so a record takes milliseconds
 * whatever the mail server does, and the consumer stays far inside {@code max.poll.interval.ms}.
 * The offset of a record is committed only after it returned (SYNC_PER_RECORD). An unreadable
 * record goes to its dead-letter topic and the listener carries on. Any other failure (the outbox
 * cannot be written, the broker does not acknowledge a dead letter) leaves the offset uncommitted:
 * the record is delivered again after {@value #REDELIVERY_DELAY}.
 *
 * <p>{@code max.poll.records=1}: micronaut-kafka, when it rewinds after a failure, re-seeks the
 * rest of the polled batch by partition number only, which across several topics could skip
 * records of another topic; with one record per poll there is no rest of the batch.
 */
@KafkaListener(
        groupId = EventListener.GROUP_ID,
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        errorStrategy = @ErrorStrategy(
                value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryDelay = EventListener.REDELIVERY_DELAY,
                retryCount = Integer.MAX_VALUE,
                handleAllExceptions = true),
        properties = {
                @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "1"),
                @Property(name = ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        value = "org.apache.kafka.common.serialization.ByteArrayDeserializer"),
                @Property(name = ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        value = "org.apache.kafka.common.serialization.ByteArrayDeserializer")
        })
public class EventListener {

    public static final String GROUP_ID = "oneclick-notifier";
    static final String REDELIVERY_DELAY = "10s";

    private final Notifications notifications;
    private final MailSender sender;

    public EventListener(Notifications notifications, MailSender sender) {
        this.notifications = notifications;
        this.sender = sender;
    }

    @Topic({Topics.REQUESTED, Topics.AWAITING_APPROVAL, Topics.APPROVED, Topics.REJECTED, Topics.PROVISIONED,
            Topics.FAILED})
    public void receive(ConsumerRecord<byte[], byte[]> record) {
        RecordOrigin origin = origin(record);
        try {
            Header type = record.headers().lastHeader(EventJson.TYPE_HEADER);
            RequestEvent event = EventJson.read(type == null ? null : type.value(), record.value());
            if (notifications.accept(event, origin) > 0) {
                sender.wakeUp();
            }
        } catch (UnreadableEventException e) {
            notifications.refuse(origin, e);
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
