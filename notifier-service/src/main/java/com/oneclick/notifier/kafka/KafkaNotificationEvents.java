package com.oneclick.notifier.kafka;

import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.json.EventJson;
import com.oneclick.notifier.NotificationEvents;
import jakarta.inject.Singleton;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Publishes NotificationSent in the shared wire format: key requestId, type header, JSON body.
 * Asynchronous: the producer (idempotent, {@code acks=all}) keeps the order of one request's events,
 * which share a key and so a partition.
 */
@Singleton
public class KafkaNotificationEvents implements NotificationEvents {

    private final EventRecords records;

    public KafkaNotificationEvents(EventRecords records) {
        this.records = records;
    }

    @Override
    public CompletionStage<?> announce(NotificationSent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventJson.TYPE_HEADER, EventJson.typeHeader(event));
        return records.sendAsync(event.type().topic(), event.requestId().getBytes(StandardCharsets.UTF_8),
                EventJson.write(event), headers);
    }
}
