package com.oneclick.notifier.intake;

import com.oneclick.model.Topics;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.json.EventJson;
import com.oneclick.model.json.UnreadableEventException;
import com.oneclick.notifier.Notifications;
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

/**
 * Thin: decode, call the use case, done. The offset of a record is committed only after it
 * returned (SYNC_PER_RECORD). An unreadable record goes to its dead-letter topic and the listener
 * carries on. Any other failure (the mail server still refusing after the use case's bounded
 * retries, the broker not acknowledging) leaves the offset uncommitted: the record is delivered
 * again after {@value #REDELIVERY_DELAY}, as often as it takes, and its partition waits meanwhile.
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
    private final DeadLetters deadLetters;

    public EventListener(Notifications notifications, DeadLetters deadLetters) {
        this.notifications = notifications;
        this.deadLetters = deadLetters;
    }

    @Topic({Topics.REQUESTED, Topics.APPROVED, Topics.REJECTED, Topics.PROVISIONED, Topics.FAILED})
    public void receive(ConsumerRecord<byte[], byte[]> record) {
        RequestEvent event;
        try {
            Header type = record.headers().lastHeader(EventJson.TYPE_HEADER);
            event = EventJson.read(type == null ? null : type.value(), record.value());
        } catch (UnreadableEventException e) {
            deadLetters.send(record, e);
            return;
        }
        notifications.handle(event);
    }
}
