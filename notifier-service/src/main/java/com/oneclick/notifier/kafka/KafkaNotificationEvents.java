package com.oneclick.notifier.kafka;

import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.json.EventJson;
import com.oneclick.notifier.NotificationEvents;
import jakarta.inject.Singleton;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/** Publishes NotificationSent in the shared wire format: key requestId, type header, JSON body. */
@Singleton
public class KafkaNotificationEvents implements NotificationEvents {

    private final EventRecords records;

    public KafkaNotificationEvents(EventRecords records) {
        this.records = records;
    }

    @Override
    public void announce(NotificationSent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventJson.TYPE_HEADER, EventJson.typeHeader(event));
        records.send(event.type().topic(), event.requestId().getBytes(StandardCharsets.UTF_8),
                EventJson.write(event), headers);
    }
}
