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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Reads the flow's topics with a plain KafkaConsumer (no group: it assigns every partition and
 * starts at the beginning, the stack is fresh) and keeps, per request, when each point of the
 * flow was reached ({@link RequestTimeline}). The first event of a kind wins: a replayed record
 * changes nothing.
 */
public final class EventRecorder implements AutoCloseable {

    static final List<String> TOPICS = List.of(Topics.AWAITING_APPROVAL, Topics.APPROVED, Topics.REJECTED,
            Topics.PROGRESS, Topics.PROVISIONED, Topics.FAILED, Topics.NOTIFIED);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, RequestTimeline> timelines = new ConcurrentHashMap<>();
    private final Set<String> approvable = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;
    private volatile long unreadable;

    public EventRecorder(String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.CLIENT_ID_CONFIG, "oneclick-bench-recorder"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::poll, "bench-event-recorder");
        this.thread.setDaemon(true);
        this.thread.start();
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

    /** Throws if the consumer stopped on an error. */
    public void check() {
        if (failure != null) {
            throw new IllegalStateException("reading the topics failed: " + failure, failure);
        }
    }

    public long unreadable() {
        return unreadable;
    }

    private void poll() {
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
            unreadable++;
            return;
        }
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (event instanceof ApprovalRequested) {
            approvable.add(event.requestId());
            return;
        }
        if (event instanceof RequestApproved || event instanceof RequestRejected) {
            approvable.add(event.requestId());
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
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
