package com.oneclick.notifier;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where an event came from, and the record as it was (key, value, headers): enough to dead-letter
 * it later, possibly long after its offset was committed, and to recognise it when a replay brings
 * the same record again ({@link #fingerprint}).
 */
public record RecordOrigin(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                           List<Header> headers) {

    /** One record header. */
    public record Header(String name, byte[] value) {
    }

    public RecordOrigin {
        Objects.requireNonNull(topic, "topic");
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** "topic-partition@offset", for logs. */
    public String position() {
        return topic + '-' + partition + '@' + offset;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordOrigin o && topic.equals(o.topic) && partition == o.partition
                && offset == o.offset && timestamp == o.timestamp && Arrays.equals(key, o.key)
                && Arrays.equals(value, o.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }

    @Override
    public String toString() {
        return "RecordOrigin[" + position() + "]";
    }
}
