package com.oneclick.request;

import com.oneclick.model.events.RequestEvent;
import com.oneclick.request.intake.RequestIntake;
import com.oneclick.request.status.RequestStatuses;
import com.oneclick.spring.EventMessages;
import com.oneclick.spring.EventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import java.util.function.Consumer;

/** Wires the use cases (plain Java) to Spring and Kafka. */
@Configuration(proxyBeanMethods = false)
public class RequestServiceConfiguration {

    @Bean
    public RequestStatuses requestStatuses() {
        return new RequestStatuses();
    }

    @Bean
    public RequestIntake requestIntake(EventPublisher publisher, RequestStatuses statuses) {
        return new RequestIntake(publisher::publish, statuses);
    }

    /**
     * Binding {@code statusView-in-0}: every topic of the flow, replayed from the start on each
     * start (see application.yml), folded into the status view.
     */
    @Bean
    public Consumer<Message<byte[]>> statusView(RequestStatuses statuses) {
        return message -> {
            RequestEvent event = EventMessages.decode(message);
            statuses.apply(event);
        };
    }
}
