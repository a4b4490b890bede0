package com.oneclick.notifier.intake;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed batch is put back where it began, partition by partition, across topics. */
class EventListenerRewindTest {

    @Test
    void everyPartitionOfAFailedBatchGoesBackToItsFirstRecordAndNoOtherMoves() {
        // given a consumer that polled a batch from two topics, and a third partition it did not poll from
        TopicPartition provisioned = new TopicPartition("oneclick.provisioned", 1);
        TopicPartition requested = new TopicPartition("oneclick.requested", 1);
        TopicPartition quiet = new TopicPartition("oneclick.failed", 1);
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        consumer.assign(List.of(provisioned, requested, quiet));
        consumer.updateBeginningOffsets(Map.of(provisioned, 0L, requested, 0L, quiet, 0L));
        consumer.seek(provisioned, 5);
        consumer.seek(requested, 2);
        consumer.seek(quiet, 7);
        for (long offset = 5; offset < 8; offset++) {
            consumer.addRecord(new ConsumerRecord<>(provisioned.topic(), 1, offset, new byte[0], new byte[0]));
        }
        consumer.addRecord(new ConsumerRecord<>(requested.topic(), 1, 2, new byte[0], new byte[0]));
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ZERO);
        assertThat(consumer.position(provisioned)).isEqualTo(8);

        // when
        EventListener.rewind(batch, consumer);

        // then
        assertThat(consumer.position(provisioned)).isEqualTo(5);
        assertThat(consumer.position(requested)).isEqualTo(2);
        assertThat(consumer.position(quiet)).isEqualTo(7);
    }
}
