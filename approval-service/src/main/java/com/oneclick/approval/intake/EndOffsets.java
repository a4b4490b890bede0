package com.oneclick.approval.intake;

import com.oneclick.approval.queue.ReplayProgress;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the end offsets of the topics the queue is rebuilt from, before the binding starts
 * reading them. Uses the binder's brokers and its common client configuration (security settings
 * and the like), with its own throw-away consumer outside any group.
 */
public final class EndOffsets {

    private EndOffsets() {
    }

    /**
     * @param clientConfig bootstrap servers and common client settings
     * @throws org.apache.kafka.common.KafkaException when the broker cannot be asked
     */
    public static Map<String, Long> of(Map<String, Object> clientConfig, List<String> topics, Duration timeout) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "oneclick-approval-end-offsets");
        Map<String, Long> ends = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<String, List<PartitionInfo>> existing = consumer.listTopics(timeout);
            for (String topic : topics) {
                List<TopicPartition> partitions = existing.getOrDefault(topic, List.of()).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList();
                if (!partitions.isEmpty()) {
                    consumer.endOffsets(partitions, timeout).forEach((partition, end) ->
                            ends.put(ReplayProgress.partition(partition.topic(), partition.partition()), end));
                }
            }
        }
        return ends;
    }
}
