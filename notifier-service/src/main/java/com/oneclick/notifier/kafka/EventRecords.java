package com.oneclick.notifier.kafka;

import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.messaging.annotation.MessageBody;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

import java.util.concurrent.CompletableFuture;

/**
 * Raw records out: byte-array key and value, headers as given, {@code acks=all}. {@link #send} blocks:
 * returns the broker's acknowledgement, or throws when there was none. {@link #sendAsync} returns at
 * once; its future completes with the acknowledgement (same producer, so records keep their order).
 */
@KafkaClient(id = "oneclick-notifier-producer", acks = KafkaClient.Acknowledge.ALL)
public interface EventRecords {

    RecordMetadata send(@Topic String topic, @KafkaKey byte[] key, @MessageBody byte[] value, Headers headers);

    CompletableFuture<RecordMetadata> sendAsync(@Topic String topic, @KafkaKey byte[] key, @MessageBody byte[] value,
                                                Headers headers);
}
