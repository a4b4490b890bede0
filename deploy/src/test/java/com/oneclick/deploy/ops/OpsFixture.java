package com.oneclick.deploy.ops;

import com.oneclick.testsupport.KafkaSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;

/** Topics, records and consumer groups on the test broker, and the ops commands run as from the command line. */
final class OpsFixture {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private OpsFixture() {
    }

    static String bootstrap() {
        return KafkaSupport.bootstrapServers();
    }

    /** A fresh name, so that the tests sharing the broker never see each other's topics or groups. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    }

    static void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("could not create " + topic, e);
        }
    }

    /** Publishes {@code value} to one partition with the given record timestamp. */
    static void send(String topic, int partition, Instant timestamp, String key, String value, RecordHeaders headers) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, partition, timestamp.toEpochMilli(),
                    key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    static void send(String topic, int partition, Instant timestamp, String value) {
        send(topic, partition, timestamp, "k", value, new RecordHeaders());
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<byte[], byte[]> groupConsumer(String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads every partition of the topic from the group's committed offsets (from the start where it
     * has none) until it has {@code expected} records, and commits its positions for the group.
     * Returns the values read. (Partitions are assigned rather than subscribed: no rebalance to wait for.)
     */
    static List<String> consume(String group, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = groupConsumer(group)) {
            consumer.assign(consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList());
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
                return values.size() >= expected;
            });
            consumer.commitSync();
        }
        return values;
    }

    /** The group's committed offset per partition number of the topic. */
    static Map<Integer, Long> committed(String group, String topic) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<Integer, Long> result = new TreeMap<>();
            offsets.forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    result.put(partition.partition(), offset.offset());
                }
            });
            return result;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A consumer of the group that keeps polling in its own thread until {@link #close()}: a live member. */
    static final class LiveMember implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;

        LiveMember(String group, String topic) {
            consumer = groupConsumer(group);
            thread = new Thread(() -> {
                consumer.subscribe(List.of(topic));
                try {
                    while (running.get()) {
                        consumer.poll(Duration.ofMillis(200));
                    }
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    // close() woke it up
                } finally {
                    consumer.close();
                }
            }, "live-member-" + group);
            thread.start();
            try (Admin admin = admin()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of(group))
                        .all().get().get(group).members().size() == 1);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            consumer.wakeup();
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    /** What a command printed and returned. */
    record Result(int exitCode, String out, String err) {
    }

    static Result run(String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> withBootstrap = new ArrayList<>(List.of(args));
        withBootstrap.add("--bootstrap");
        withBootstrap.add(bootstrap());
        int exit = Ops.run(command, withBootstrap, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), TIMEOUT, false);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
