package com.oneclick.deploy.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kafka baseline: {@code events} records sent through as many topic hops as one request's
 * events take ({@link #HOPS}: requested, approved, progress ×2, provisioned, notified), each hop
 * carrying the JSON body of the pipeline's event at that point (same size), with plain clients and the services' producer settings (acks=all,
 * idempotence, a synchronous send per record): a producer writes hop 1, a relay per hop reads it
 * and writes the next, a last consumer reads the last hop. Each relay commits its offsets after
 * its batch was forwarded, as the services do.
 */
public final class RawKafkaBaseline {

    public static final int HOPS = 6;

    /** The figures: throughput through all hops, and the latency of one record from first send to last read. */
    public record Figures(int events, int hops, int eventBytes, int delivered, Duration span, double eventsPerSecond,
                          LatencyStats latency) {
    }

    private final String bootstrapServers;
    private final String topicPrefix;

    public RawKafkaBaseline(String bootstrapServers, String topicPrefix) {
        this.bootstrapServers = bootstrapServers;
        this.topicPrefix = topicPrefix;
    }

    /** Sends {@code events} records through the hops; hop {@code i} carries {@code bodies.get(i)}. */
    public Figures run(int events, List<byte[]> bodies, Duration timeout) {
        if (bodies.size() != HOPS) {
            throw new IllegalArgumentException("one body per hop: " + HOPS);
        }
        List<String> topics = new ArrayList<>();
        for (int hop = 1; hop <= HOPS; hop++) {
            topics.add(topicPrefix + ".hop" + hop);
        }
        createTopics(topics);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> readAt = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(HOPS + 1);
        long deadline = System.nanoTime() + timeout.toNanos();
        // Connections, metadata and positions are set up before the clock starts, as in a running service.
        CountDownLatch ready = new CountDownLatch(HOPS);
        try {
            List<Future<?>> relays = new ArrayList<>();
            for (int hop = 1; hop < HOPS; hop++) {
                String from = topics.get(hop - 1);
                String to = topics.get(hop);
                byte[] body = bodies.get(hop);
                relays.add(pool.submit(() -> relay(from, Optional.of(to), body, events, deadline, null, ready)));
            }
            Future<?> last = pool.submit(() -> relay(topics.get(HOPS - 1), Optional.empty(), null, events, deadline, readAt,
                    ready));
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                producer.partitionsFor(topics.get(0));
                if (!ready.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new TimeoutException("the relays did not get ready");
                }
                for (int i = 0; i < events; i++) {
                    String key = "e" + i;
                    sentAt.put(key, System.nanoTime());
                    producer.send(new ProducerRecord<>(topics.get(0), key.getBytes(StandardCharsets.UTF_8),
                            bodies.get(0)))
                            .get(30, TimeUnit.SECONDS);
                }
            }
            last.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            for (Future<?> relay : relays) {
                relay.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            long lastRead = readAt.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
            long firstSent = sentAt.values().stream().mapToLong(Long::longValue).min().orElse(lastRead);
            List<Duration> latencies = new ArrayList<>();
            readAt.forEach((key, at) -> {
                Long sent = sentAt.get(key);
                if (sent != null) {
                    latencies.add(Duration.ofNanos(at - sent));
                }
            });
            Duration span = Duration.ofNanos(lastRead - firstSent);
            int meanBytes = (int) Math.round(bodies.stream().mapToInt(b -> b.length).average().orElse(0));
            return new Figures(events, HOPS, meanBytes, readAt.size(), span,
                    Throughput.perSecond(readAt.size(), span), LatencyStats.of(latencies));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the Kafka baseline did not finish: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Reads {@code expected} records from {@code from} and, for each, sends the next hop's event
     * ({@code body}) to {@code to} (as a service publishes its own event); the last hop notes when
     * each record arrived.
     */
    private Void relay(String from, Optional<String> to, byte[] body, int expected, long deadline,
                       Map<String, Long> readAt, CountDownLatch ready) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(from);
             KafkaProducer<byte[], byte[]> producer = to.isPresent() ? producer() : null) {
            TopicPartition partition = new TopicPartition(from, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.position(partition);
            if (producer != null) {
                producer.partitionsFor(to.get());
            }
            ready.countDown();
            int seen = 0;
            while (seen < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("hop " + from + " saw " + seen + " of " + expected + " records");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (producer != null) {
                        producer.send(new ProducerRecord<>(to.get(), record.key(), body))
                                .get(30, TimeUnit.SECONDS);
                    } else {
                        readAt.put(new String(record.key(), StandardCharsets.UTF_8), System.nanoTime());
                    }
                    seen++;
                }
                consumer.commitSync();
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("forwarding from " + from + " failed: " + e, e);
        }
    }

    /** The services' producer settings (spring-support's defaults): acks=all, idempotence, bounded timeouts. */
    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer(String topic) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, topic + ".relay",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void createTopics(List<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, Optional.of(1), Optional.empty())).toList())
                    .all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the baseline's topics: " + e, e);
        }
    }
}
