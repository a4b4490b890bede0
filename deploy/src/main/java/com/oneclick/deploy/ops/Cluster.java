package com.oneclick.deploy.ops;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The few Admin API calls the ops commands make, each bounded by a timeout, errors as {@link OpsException}. */
final class Cluster implements AutoCloseable {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final String bootstrap;
    private final Duration timeout;
    private final Admin admin;

    Cluster(String bootstrap, Duration timeout) {
        this.bootstrap = bootstrap;
        this.timeout = timeout;
        int millis = (int) timeout.toMillis();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "oneclick-ops",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 10_000),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis));
    }

    String bootstrap() {
        return bootstrap;
    }

    /** Every topic but Kafka's internal ones, sorted. */
    Set<String> topics() {
        return new TreeSet<>(get(admin.listTopics().names(), "list the topics"));
    }

    /** The partitions of each topic, by topic then partition number. */
    Map<String, List<TopicPartition>> partitions(Collection<String> topics) {
        Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames(),
                "describe the topics");
        Map<String, List<TopicPartition>> partitions = new TreeMap<>();
        described.forEach((name, description) -> partitions.put(name, description.partitions().stream()
                .map(p -> new TopicPartition(name, p.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .toList()));
        return partitions;
    }

    Map<TopicPartition, Long> earliest(Collection<TopicPartition> partitions) {
        return offsets(partitions, p -> OffsetSpec.earliest());
    }

    Map<TopicPartition, Long> latest(Collection<TopicPartition> partitions) {
        return offsets(partitions, p -> OffsetSpec.latest());
    }

    /**
     * Per partition, the offset of the first record whose timestamp is at or after {@code time};
     * the partition's end when there is none (every record is older).
     */
    Map<TopicPartition, Long> atTime(Collection<TopicPartition> partitions, Instant time) {
        Map<TopicPartition, Long> found = offsets(partitions, p -> OffsetSpec.forTimestamp(time.toEpochMilli()));
        Map<TopicPartition, Long> end = latest(partitions);
        Map<TopicPartition, Long> result = new TreeMap<>(Cluster::compare);
        for (TopicPartition partition : partitions) {
            long offset = found.getOrDefault(partition, -1L);
            result.put(partition, offset < 0 ? end.get(partition) : offset);
        }
        return result;
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions,
                                              Function<TopicPartition, OffsetSpec> spec) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> listed = get(
                admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, spec))).all(),
                "list the offsets of " + partitions.stream().map(TopicPartition::topic).distinct().toList());
        Map<TopicPartition, Long> offsets = new TreeMap<>(Cluster::compare);
        listed.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /** Every consumer group the broker knows, sorted by id. */
    List<ConsumerGroupListing> groups() {
        return get(admin.listConsumerGroups().all(), "list the consumer groups").stream()
                .sorted((a, b) -> a.groupId().compareTo(b.groupId()))
                .toList();
    }

    /** The group's state and live members; empty when the broker does not know the group. */
    Optional<ConsumerGroupDescription> group(String groupId) {
        ConsumerGroupDescription description;
        try {
            description = get(admin.describeConsumerGroups(List.of(groupId)).all(), "describe group " + groupId)
                    .get(groupId);
        } catch (OpsException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
        if (description == null || description.state() == ConsumerGroupState.DEAD) {
            return Optional.empty();
        }
        return Optional.of(description);
    }

    /** Each group's state and live members, in one request; a group the broker no longer knows is left out. */
    Map<String, ConsumerGroupDescription> describe(Collection<String> groupIds) {
        if (groupIds.isEmpty()) {
            return Map.of();
        }
        Map<String, ConsumerGroupDescription> described = new TreeMap<>();
        admin.describeConsumerGroups(groupIds).describedGroups().forEach((id, future) -> {
            try {
                ConsumerGroupDescription description = get(future, "describe group " + id);
                if (description.state() != ConsumerGroupState.DEAD) {
                    described.put(id, description);
                }
            } catch (OpsException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
        });
        return described;
    }

    /** Each group's committed offsets, every topic, in one request. */
    Map<String, Map<TopicPartition, Long>> committed(Collection<String> groupIds) {
        if (groupIds.isEmpty()) {
            return Map.of();
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = groupIds.stream()
                .collect(Collectors.toMap(id -> id, id -> new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> listed = get(
                admin.listConsumerGroupOffsets(specs).all(), "read the offsets of the consumer groups");
        Map<String, Map<TopicPartition, Long>> result = new TreeMap<>();
        listed.forEach((id, offsets) -> {
            Map<TopicPartition, Long> byPartition = new TreeMap<>(Cluster::compare);
            offsets.forEach((partition, offset) -> {
                if (offset != null) {
                    byPartition.put(partition, offset.offset());
                }
            });
            result.put(id, byPartition);
        });
        return result;
    }

    /** The group's committed offsets, every topic. */
    Map<TopicPartition, Long> committed(String groupId) {
        Map<TopicPartition, OffsetAndMetadata> committed = get(
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
                "read the offsets of group " + groupId);
        Map<TopicPartition, Long> offsets = new TreeMap<>(Cluster::compare);
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    /** Commits the given offsets for the group (the broker refuses while the group has members). */
    void commit(String groupId, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> request = offsets.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
        get(admin.alterConsumerGroupOffsets(groupId, request).all(), "move the offsets of group " + groupId);
    }

    static int compare(TopicPartition a, TopicPartition b) {
        int byTopic = a.topic().compareTo(b.topic());
        return byTopic != 0 ? byTopic : Integer.compare(a.partition(), b.partition());
    }

    private <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new OpsException(notAnswering(what), cause);
            }
            throw new OpsException("could not " + what + " on Kafka at " + bootstrap + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new OpsException(notAnswering(what), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted while trying to " + what, e);
        }
    }

    private String notAnswering(String what) {
        return "Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds() + " s (trying to " + what
                + "); is the broker running (./oneclick up), or give --bootstrap host:port";
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
