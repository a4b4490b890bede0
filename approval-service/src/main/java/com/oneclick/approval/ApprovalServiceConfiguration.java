package com.oneclick.approval;

import com.oneclick.approval.intake.ApprovalEventsListener;
import com.oneclick.approval.intake.EndOffsetsLoader;
import com.oneclick.approval.queue.ApprovalQueue;
import com.oneclick.approval.queue.Decisions;
import com.oneclick.approval.queue.ReplayProgress;
import com.oneclick.spring.EventPublisher;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Wires the queue and the decisions (plain Java) to Spring and Kafka. */
@Configuration(proxyBeanMethods = false)
public class ApprovalServiceConfiguration {

    static final String BINDING = "approvals-in-0";

    @Bean
    public ApprovalQueue approvalQueue() {
        return new ApprovalQueue();
    }

    @Bean
    public ReplayProgress replayProgress() {
        return new ReplayProgress();
    }

    /**
     * Reads where the queue's topics end once the application starts: decisions wait until the
     * queue has read up to there. Uses the binder's brokers and common client configuration.
     */
    @Bean
    public EndOffsetsLoader endOffsetsLoader(ReplayProgress replay, Environment environment) {
        List<String> topics = Arrays.stream(environment
                        .getRequiredProperty("spring.cloud.stream.bindings." + BINDING + ".destination").split(","))
                .map(String::strip).filter(t -> !t.isEmpty()).toList();
        Map<String, Object> client = new HashMap<>(Binder.get(environment)
                .bind("spring.cloud.stream.kafka.binder.configuration", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of()));
        client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                environment.getProperty("spring.cloud.stream.kafka.binder.brokers", "localhost:9092"));
        return new EndOffsetsLoader(replay, client, topics);
    }

    @Bean
    public Decisions decisions(ApprovalQueue queue, EventPublisher publisher, ReplayProgress replay) {
        return new Decisions(queue, publisher::publish, replay);
    }

    /**
     * Binding {@code approvals-in-0}: oneclick.requested plus this service's own decision topics,
     * replayed from the start on each start (see application.yml), folded into the queue.
     */
    @Bean
    public Consumer<Message<byte[]>> approvals(ApprovalQueue queue, ReplayProgress replay) {
        return new ApprovalEventsListener(queue, replay);
    }
}
