package com.oneclick.testsupport;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

/**
 * A real Kafka broker for tests, one per JVM, started on first use and stopped when the JVM exits.
 *
 * <p>Where a Docker engine answers, the broker is Testcontainers' {@code apache/kafka} container;
 * elsewhere it is spring-kafka-test's in-JVM KRaft broker. Set {@code ONECLICK_TEST_KAFKA} to
 * {@code embedded} or {@code testcontainers} to choose explicitly.
 */
public final class KafkaSupport {

    private static final String IMAGE = "apache/kafka:3.9.1";
    private static volatile String bootstrapServers;

    private KafkaSupport() {
    }

    /** The bootstrap servers of the shared test broker, starting it if needed. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            boolean container = useContainer();
            bootstrapServers = container ? startContainer() : startEmbedded();
            System.out.println("KafkaSupport: " + (container ? "Testcontainers' Kafka (" + IMAGE + ")"
                    : "spring-kafka-test's in-JVM KRaft broker (no Docker engine answered)") + " at " + bootstrapServers);
        }
        return bootstrapServers;
    }

    private static boolean useContainer() {
        String choice = System.getenv("ONECLICK_TEST_KAFKA");
        if ("embedded".equalsIgnoreCase(choice)) {
            return false;
        }
        if ("testcontainers".equalsIgnoreCase(choice)) {
            return true;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static String startContainer() {
        KafkaContainer kafka = new KafkaContainer(IMAGE);
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-container-stop"));
        return kafka.getBootstrapServers();
    }

    private static String startEmbedded() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "true",
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
        return broker.getBrokersAsString();
    }
}
