package com.oneclick.spring;

import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.json.EventJson;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import java.nio.charset.StandardCharsets;

/**
 * Publishes events on their topic: JSON body, request ID as key, logical type in a header. The
 * producer is synchronous (see {@code oneclick-spring-defaults.properties}), so a call that
 * returns means the broker acknowledged the record; one that cannot publish throws.
 */
public class EventPublisher {

    private final StreamBridge streamBridge;

    public EventPublisher(StreamBridge streamBridge) {
        this.streamBridge = streamBridge;
    }

    public void publish(RequestEvent event) {
        Message<byte[]> message = MessageBuilder.withPayload(EventJson.write(event))
                .setHeader(KafkaHeaders.KEY, event.requestId().getBytes(StandardCharsets.UTF_8))
                .setHeader(EventJson.TYPE_HEADER, EventJson.typeHeader(event))
                .build();
        String topic = event.type().topic();
        boolean sent;
        try {
            sent = streamBridge.send(topic, message);
        } catch (RuntimeException e) {
            throw new EventPublishException("could not publish " + event.type().wireName() + " for request "
                    + event.requestId() + " on " + topic, e);
        }
        if (!sent) {
            throw new EventPublishException("could not publish " + event.type().wireName() + " for request "
                    + event.requestId() + " on " + topic, null);
        }
    }
}
