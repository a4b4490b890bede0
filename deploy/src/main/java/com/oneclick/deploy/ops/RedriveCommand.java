package com.oneclick.deploy.ops;

import com.oneclick.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./oneclick redrive --topic <topic>.dlt [--partition P] [--offset N] [--dry-run]}: publishes
 * dead letters back to the topic they came from (the {@code x-original-topic} header, else the name
 * without {@code .dlt}), with their key, body and headers, minus the headers the dead-lettering added.
 * Without {@code --offset} every record of the dead-letter topic is re-driven. The dead-letter topic
 * itself is left as it is (Kafka has no delete); the consumers are idempotent, so re-driving a record
 * twice does its work once.
 */
final class RedriveCommand {

    static final String ORIGINAL_TOPIC = "x-original-topic";
    static final String REDRIVEN_FROM = "x-redriven-from";
    static final String TYPE_HEADER = "eventType";
    /** Headers the dead-lettering adds (Spring Cloud Stream's DLQ, spring-kafka's recoverer, the notifier). */
    private static final List<String> DEAD_LETTER_HEADER_PREFIXES = List.of("x-exception-", "x-original-",
            "kafka_dlt-", "x-redriven-");

    record Request(String topic, Optional<Integer> partition, Optional<Long> offset, boolean dryRun) {
    }

    private final Cluster cluster;
    private final PrintStream out;
    private final Duration timeout;

    RedriveCommand(Cluster cluster, PrintStream out, Duration timeout) {
        this.cluster = cluster;
        this.out = out;
        this.timeout = timeout;
    }

    static Request parse(List<String> args) {
        Options options = Options.parse("redrive", args, Set.of("--topic", "--partition", "--offset"),
                Set.of("--dry-run"));
        String topic = options.required("--topic");
        if (!topic.endsWith(Topics.DEAD_LETTER_SUFFIX)) {
            throw new UsageException("oneclick redrive: --topic must be a dead-letter topic (<topic>"
                    + Topics.DEAD_LETTER_SUFFIX + "), not '" + Text.printable(topic) + "'");
        }
        Optional<Integer> partition = options.nonNegative("--partition").map(p -> {
            if (p > Integer.MAX_VALUE) {
                throw new UsageException("--partition " + p + " is too large");
            }
            return p.intValue();
        });
        return new Request(topic, partition, options.nonNegative("--offset"), options.has("--dry-run"));
    }

    int run(Request request) {
        String topic = request.topic();
        Set<String> topics = cluster.topics();
        if (!topics.contains(topic)) {
            throw new UsageException("oneclick redrive: unknown topic '" + Text.printable(topic) + "' on "
                    + cluster.bootstrap() + " (see ./oneclick topics)");
        }
        List<TopicPartition> partitions = cluster.partitions(List.of(topic)).get(topic);
        if (request.partition().isPresent()) {
            TopicPartition chosen = new TopicPartition(topic, request.partition().get());
            if (!partitions.contains(chosen)) {
                throw new UsageException("oneclick redrive: " + topic + " has no partition " + chosen.partition()
                        + " (it has " + partitions.size() + ")");
            }
            partitions = List.of(chosen);
        } else if (request.offset().isPresent() && partitions.size() > 1) {
            throw new UsageException("oneclick redrive: " + topic + " has " + partitions.size()
                    + " partitions: say which one with --partition P");
        }
        Map<TopicPartition, Long> earliest = cluster.earliest(partitions);
        Map<TopicPartition, Long> latest = cluster.latest(partitions);
        if (request.offset().isPresent()) {
            TopicPartition partition = partitions.get(0);
            long offset = request.offset().get();
            if (offset < earliest.get(partition) || offset >= latest.get(partition)) {
                throw new UsageException("oneclick redrive: no record at offset " + offset + " in " + partition
                        + (earliest.get(partition).equals(latest.get(partition)) ? " (it is empty)"
                        : " (its records are " + earliest.get(partition) + " to " + (latest.get(partition) - 1) + ")"));
            }
        }

        List<ConsumerRecord<byte[], byte[]>> records = read(partitions, earliest, latest, request.offset());
        if (records.isEmpty()) {
            out.println("No dead letters in " + topic + ".");
            return 0;
        }
        Set<String> missing = new LinkedHashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String target = target(record);
            if (!topics.contains(target)) {
                missing.add(target);
            }
        }
        if (!missing.isEmpty()) {
            throw new OpsException("oneclick redrive: the original topic(s) " + String.join(", ", missing)
                    + " do not exist on " + cluster.bootstrap() + "; nothing was re-driven");
        }

        out.println((request.dryRun() ? "Dry run: would re-drive " : "Re-driving ") + records.size()
                + " dead letter(s) from " + topic + ":");
        if (request.dryRun()) {
            records.forEach(record -> out.println("  " + describe(record) + " -> " + target(record)));
            out.println("Dry run: nothing was published.");
            return 0;
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ProducerConfig.CLIENT_ID_CONFIG, "oneclick-redrive",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                RecordMetadata sent = send(producer, redriven(record));
                out.println("  " + describe(record) + " -> " + sent.topic() + "-" + sent.partition() + "@"
                        + sent.offset());
            }
        }
        out.println("Done: " + records.size() + " record(s) published again. A record that still cannot be read"
                + " goes back to " + topic + ".");
        return 0;
    }

    /** The record for the original topic: same key, body and headers, without the dead-letter headers. */
    static ProducerRecord<byte[], byte[]> redriven(ConsumerRecord<byte[], byte[]> record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (DEAD_LETTER_HEADER_PREFIXES.stream().noneMatch(header.key()::startsWith)) {
                headers.add(header);
            }
        }
        headers.add(REDRIVEN_FROM, (record.topic() + "-" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(target(record), null, record.key(), record.value(), headers);
    }

    /** Where the dead letter came from: its {@code x-original-topic} header, else the name without {@code .dlt}. */
    static String target(ConsumerRecord<byte[], byte[]> record) {
        Header original = record.headers().lastHeader(ORIGINAL_TOPIC);
        if (original != null && original.value() != null && original.value().length > 0) {
            return new String(original.value(), StandardCharsets.UTF_8);
        }
        String topic = record.topic();
        return topic.substring(0, topic.length() - Topics.DEAD_LETTER_SUFFIX.length());
    }

    private static String describe(ConsumerRecord<byte[], byte[]> record) {
        Header type = record.headers().lastHeader(TYPE_HEADER);
        Header reason = record.headers().lastHeader("x-exception-message");
        return record.topic() + "-" + record.partition() + "@" + record.offset()
                + "  key " + Text.shorten(Text.printable(record.key()), 60)
                + "  " + TYPE_HEADER + " " + (type == null ? "(none)" : Text.shorten(Text.printable(type.value()), 40))
                + (reason == null ? "" : "  reason: " + Text.shorten(Text.printable(reason.value()), 120));
    }

    private List<ConsumerRecord<byte[], byte[]>> read(List<TopicPartition> partitions,
                                                       Map<TopicPartition, Long> earliest,
                                                       Map<TopicPartition, Long> latest, Optional<Long> offset) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ConsumerConfig.CLIENT_ID_CONFIG, "oneclick-redrive",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = new java.util.HashMap<>(latest);
            for (TopicPartition partition : partitions) {
                long start = offset.orElse(earliest.get(partition));
                if (offset.isPresent()) {
                    end.put(partition, start + 1);
                }
                consumer.seek(partition, start);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new OpsException("oneclick redrive: could not read " + partitions + " within "
                            + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    private RecordMetadata send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new OpsException("oneclick redrive: could not publish to " + record.topic() + ": "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted while publishing to " + record.topic(), e);
        }
    }
}
