package com.oneclick.provisioner.events;

import com.oneclick.model.events.RequestEvent;
import com.oneclick.spring.EventPublisher;

/** {@link EventSink} over spring-support's synchronous {@link EventPublisher} (Kafka via Spring Cloud Stream). */
public final class KafkaEventSink implements EventSink {

    private final EventPublisher publisher;

    public KafkaEventSink(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void publish(RequestEvent event) {
        publisher.publish(event);
    }
}
