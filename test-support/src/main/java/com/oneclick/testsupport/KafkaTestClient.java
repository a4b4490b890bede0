package com.oneclick.testsupport;

import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.json.EventJson;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Plain Kafka clients on the test broker: publish events in the wire format, read topics, watch a group. */
public final class KafkaTestClient {

    private KafkaTestClient() {
    }

    /** Publishes an event the way the services do (JSON body, type header, request ID key). */
    public static RecordMetadata publish(RequestEvent event) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSupport.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(event.type().topic(),
                    event.requestId().getBytes(StandardCharsets.UTF_8), EventJson.write(event));
            record.headers().add(EventJson.TYPE_HEADER, EventJson.typeHeader(event));
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + event, e);
        }
    }

    /** Publishes a record as it is, e.g. one that no consumer can read. */
    public static RecordMetadata publishRaw(String topic, String key, String type, String body) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSupport.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                    key.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
            record.headers().add(EventJson.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** Every record on a topic from the beginning up to its current end. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSupport.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return List.of(); // the topic does not exist (yet): nothing was ever published on it
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records.stream().filter(r -> r.offset() < end.get(new TopicPartition(topic, r.partition())))
                    .toList();
        }
    }

    /** The records of one request (record key) on a topic, up to the topic's current end. */
    public static List<ConsumerRecord<byte[], byte[]>> recordsFor(String topic, String requestId) {
        byte[] key = requestId.getBytes(StandardCharsets.UTF_8);
        return readAll(topic).stream().filter(r -> java.util.Arrays.equals(r.key(), key)).toList();
    }

    public static RequestEvent decode(ConsumerRecord<byte[], byte[]> record) {
        org.apache.kafka.common.header.Header type = record.headers().lastHeader(EventJson.TYPE_HEADER);
        return EventJson.read(type == null ? null : type.value(), record.value());
    }

    /** Waits until a consumer group has processed (committed past) the given record. */
    public static void awaitConsumed(String group, RecordMetadata record) {
        awaitConsumed(group, record.topic(), record.partition(), record.offset());
    }

    /** Waits until a consumer group has processed (committed past) the given record. */
    public static void awaitConsumed(String group, ConsumerRecord<?, ?> record) {
        awaitConsumed(group, record.topic(), record.partition(), record.offset());
    }

    private static void awaitConsumed(String group, String topic, int partitionNumber, long offset) {
        TopicPartition partition = new TopicPartition(topic, partitionNumber);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaSupport.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get().get(partition);
                return committed != null && committed.offset() > offset;
            });
        }
    }
}
