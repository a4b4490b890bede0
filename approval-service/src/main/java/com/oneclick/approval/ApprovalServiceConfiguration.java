package com.oneclick.approval;

import com.oneclick.approval.intake.ApprovalEventsListener;
import com.oneclick.approval.intake.EndOffsetsLoader;
import com.oneclick.approval.intake.Sweeper;
import com.oneclick.approval.policy.ApprovalPolicies;
import com.oneclick.approval.queue.ApprovalQueue;
import com.oneclick.approval.queue.ApproverDirectory;
import com.oneclick.approval.queue.Decisions;
import com.oneclick.approval.queue.ReplayProgress;
import com.oneclick.approval.security.ConfiguredUsers;
import com.oneclick.spring.EventPublisher;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Wires the queue, the policies and the decisions (plain Java) to Spring and Kafka. */
@Configuration(proxyBeanMethods = false)
public class ApprovalServiceConfiguration {

    static final String BINDING = "approvals-in-0";
    /** Longer than the producer's delivery.timeout.ms (15 s in application.yml). */
    static final Duration DOUBT_WINDOW = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ApprovalServiceConfiguration.class);

    @Bean
    public ApprovalQueue approvalQueue() {
        return new ApprovalQueue();
    }

    @Bean
    public ReplayProgress replayProgress() {
        return new ReplayProgress();
    }

    @Bean
    public ApprovalPolicies approvalPolicies(ApprovalProperties properties) {
        ApprovalPolicies policies = ApprovalPolicies.from(properties.policies());
        policies.warnings().forEach(warning -> log.warn("Approval policies: {}", warning));
        return policies;
    }

    @Bean
    public ApproverDirectory approverDirectory(ApprovalProperties properties, ObjectProvider<ConfiguredUsers> users) {
        ConfiguredUsers configured = users.getIfAvailable();
        return new ApproverDirectory(configured == null ? Map.of() : configured.approverEmails(),
                properties.approverEmails().stream().filter(e -> e != null && !e.isBlank()).map(String::strip)
                        .toList());
    }

    /** The time decisions and expiry go by; a test may put its own clock in its place. */
    @Bean
    public Clock approvalClock() {
        return Clock.systemUTC();
    }

    @Bean
    public Decisions decisions(ApprovalQueue queue, EventPublisher publisher, ReplayProgress replay,
                               ApprovalPolicies policies, ApproverDirectory directory, Clock clock,
                               ApprovalProperties properties) {
        if (properties.expireAfter().isNegative() || properties.expireAfter().isZero()) {
            throw new IllegalStateException("oneclick.approval.expire-after must be a positive duration");
        }
        return new Decisions(queue, publisher::publish, replay, policies, directory, clock,
                new Decisions.Settings(properties.expireAfter(), DOUBT_WINDOW));
    }

    @Bean
    public Sweeper approvalSweeper(Decisions decisions, ApprovalProperties properties) {
        if (properties.sweepInterval().isNegative() || properties.sweepInterval().isZero()) {
            throw new IllegalStateException("oneclick.approval.sweep-interval must be a positive duration");
        }
        return new Sweeper(decisions, properties.sweepInterval());
    }

    /**
     * Reads where the queue's topics end once the application starts: decisions wait until the
     * queue has read up to there. Uses the binder's brokers and common client configuration.
     */
    @Bean
    public EndOffsetsLoader endOffsetsLoader(ReplayProgress replay, Environment environment, Decisions decisions) {
        List<String> topics = Arrays.stream(environment
                        .getRequiredProperty("spring.cloud.stream.bindings." + BINDING + ".destination").split(","))
                .map(String::strip).filter(t -> !t.isEmpty()).toList();
        Map<String, Object> client = new HashMap<>(Binder.get(environment)
                .bind("spring.cloud.stream.kafka.binder.configuration", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of()));
        client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                environment.getProperty("spring.cloud.stream.kafka.binder.brokers", "localhost:9092"));
        return new EndOffsetsLoader(replay, client, topics, decisions::routeWaiting);
    }

    /**
     * Binding {@code approvals-in-0}: oneclick.requested plus this service's own topics, replayed
     * from the start on each start (see application.yml), folded into the queue.
     */
    @Bean
    public Consumer<Message<byte[]>> approvals(ApprovalQueue queue, ReplayProgress replay, Decisions decisions) {
        return new ApprovalEventsListener(queue, replay, decisions);
    }
}
