package com.oneclick.spring;

import com.oneclick.model.Topics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.cloud.stream.binder.kafka.utils.DlqDestinationResolver;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * Wires what the Spring services share. The defaults file sets the producer synchronous with
 * acks=all, bounded retries that skip {@link com.oneclick.model.json.UnreadableEventException},
 * and dead letters for every consumer binding.
 */
@AutoConfiguration
@Import(ProblemResponses.class)
@PropertySource("classpath:oneclick-spring-defaults.properties")
public class OneClickSpringAutoConfiguration {

    @Bean
    public EventPublisher eventPublisher(StreamBridge streamBridge) {
        return new EventPublisher(streamBridge);
    }

    /** A record that cannot be processed goes to {@code <its topic>.dlt}, whatever binding read it. */
    @Bean
    public DlqDestinationResolver dlqDestinationResolver() {
        return (record, exception) -> Topics.deadLetter(record.topic());
    }
}
