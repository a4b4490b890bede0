package com.oneclick.deploy.bench;

import com.oneclick.model.Topics;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.StackPushed;
import com.oneclick.model.json.EventJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Reads the flow's topics with plain KafkaConsumers (no group: each assigns every partition of its
 * topics and starts at the beginning, the stack is fresh) and keeps, per request, when each point of
 * the flow was reached ({@link RequestTimeline}). The first event of a kind wins: a replayed record
 * changes nothing.
 *
 * <p>Two consumers, so that measuring costs the machine little: the driver waits on
 * {@link #PROMPT_TOPICS} (a request is approved once it is queued for approval), so those are read
 * as soon as a record is there; every other figure comes from the records' own timestamps, not from
 * when they were read, so {@link #LATER_TOPICS} are fetched at most every {@link #LATER_FETCH_WAIT}
 * (one fetch then brings the events of several requests, where a fetch per event made the benchmark's
 * JVM and the broker work for every record).
 */
public final class EventRecorder implements AutoCloseable {

    /** What the driver waits on: the request queued for approval, or decided. */
    static final List<String> PROMPT_TOPICS = List.of(Topics.AWAITING_APPROVAL, Topics.APPROVED, Topics.REJECTED);
    /** Read only for their timestamps. */
    static final List<String> LATER_TOPICS = List.of(Topics.PROGRESS, Topics.PROVISIONED, Topics.FAILED,
            Topics.NOTIFIED);
    static final Duration LATER_FETCH_WAIT = Duration.ofMillis(250);

    private final Map<String, RequestTimeline> timelines = new ConcurrentHashMap<>();
    private final Set<String> approvable = ConcurrentHashMap.newKeySet();
    private final List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Exception failure;
    private final AtomicLong unreadable = new AtomicLong();

    public EventRecorder(String bootstrapServers) {
        this(bootstrapServers, PROMPT_TOPICS, LATER_TOPICS);
    }

    EventRecorder(String bootstrapServers, List<String> promptTopics, List<String> laterTopics) {
        try {
            read(bootstrapServers, "oneclick-bench-recorder", promptTopics, Map.of());
            read(bootstrapServers, "oneclick-bench-recorder-later", laterTopics, Map.of(
                    ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024 * 1024,
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) LATER_FETCH_WAIT.toMillis()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void read(String bootstrapServers, String clientId, List<String> topics, Map<String, Object> fetch) {
        if (topics.isEmpty()) {
            return;
        }
        Map<String, Object> config = new HashMap<>(fetch);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> found = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (found.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist on " + bootstrapServers);
                }
                found.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(5));
            throw e;
        }
        consumers.add(consumer);
        Thread thread = new Thread(() -> poll(consumer), "bench-event-recorder-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Starts watching a request: the driver sent its POST at {@code at}. */
    public void submitted(String requestId, Instant at) {
        timelines.compute(requestId, (id, t) -> t == null ? RequestTimeline.submittedAt(id, at) : t.withSubmitted(at));
    }

    public RequestTimeline timeline(String requestId) {
        return timelines.get(requestId);
    }

    public List<RequestTimeline> timelines(Collection<String> requestIds) {
        List<RequestTimeline> list = new ArrayList<>();
        for (String id : requestIds) {
            RequestTimeline t = timelines.get(id);
            if (t != null) {
                list.add(t);
            }
        }
        return list;
    }

    /**
     * True once approval-service has queued the request for approval (its ApprovalRequested, which
     * also has the approvers emailed, is on {@code oneclick.awaiting-approval}), or once the request
     * was decided (by a policy, say).
     */
    public boolean isApprovable(String requestId) {
        return approvable.contains(requestId);
    }

    /**
     * Waits until {@link #isApprovable} or the deadline; true if approvable. Woken by the record
     * that makes it so (no polling: the waiting threads cost the machine nothing meanwhile).
     */
    public boolean awaitApprovable(String requestId, Instant deadline) throws InterruptedException {
        synchronized (approvable) {
            while (!approvable.contains(requestId)) {
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left <= 0 || failure != null) {
                    return false;
                }
                approvable.wait(left);
            }
            return true;
        }
    }

    private void approvable(String requestId) {
        synchronized (approvable) {
            if (approvable.add(requestId)) {
                approvable.notifyAll();
            }
        }
    }

    /** Throws if the consumer stopped on an error. */
    public void check() {
        if (failure != null) {
            throw new IllegalStateException("reading the topics failed: " + failure, failure);
        }
    }

    public long unreadable() {
        return unreadable.get();
    }

    private void poll(KafkaConsumer<byte[], byte[]> consumer) {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    record(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
            synchronized (approvable) {
                approvable.notifyAll();
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void record(ConsumerRecord<byte[], byte[]> record) {
        Header type = record.headers().lastHeader(EventJson.TYPE_HEADER);
        RequestEvent event;
        try {
            event = EventJson.read(type == null ? null : type.value(), record.value());
        } catch (RuntimeException e) {
            unreadable.incrementAndGet();
            return;
        }
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (event instanceof ApprovalRequested) {
            approvable(event.requestId());
            return;
        }
        if (event instanceof RequestApproved || event instanceof RequestRejected) {
            approvable(event.requestId());
        }
        UnaryOperator<RequestTimeline> change = null;
        if (event instanceof RequestApproved) {
            change = t -> t.withApproved(at);
        } else if (event instanceof StackPushed) {
            change = t -> t.withPushed(at);
        } else if (event instanceof BuildStarted) {
            change = t -> t.withBuildStarted(at);
        } else if (event instanceof InstanceProvisioned provisioned) {
            change = t -> t.withProvisioned(provisioned.occurredAt(), at);
        } else if (event instanceof ProvisioningFailed failed) {
            change = t -> t.withFailure("provisioning failed: " + failed.reason());
        } else if (event instanceof RequestRejected rejected) {
            change = t -> t.withFailure("rejected: " + rejected.reason());
        } else if (event instanceof NotificationSent sent && "PROVISIONED".equals(sent.notification())) {
            change = t -> t.withEmailed(at);
        }
        if (change != null) {
            UnaryOperator<RequestTimeline> apply = change;
            timelines.compute(event.requestId(), (id, t) -> apply.apply(t == null
                    ? RequestTimeline.submittedAt(id, null) : t));
        }
    }

    @Override
    public void close() {
        running = false;
        consumers.forEach(KafkaConsumer::wakeup);
        try {
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
