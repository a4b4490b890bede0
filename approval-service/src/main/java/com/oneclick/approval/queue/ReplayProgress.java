package com.oneclick.approval.queue;

import java.util.HashMap;
import java.util.Map;

/**
 * How far the queue got in rebuilding itself from the topics after a start. Until every partition
 * has been read up to the end it had when the service started, a request may look pending only
 * because its decision has not been read yet; deciding is refused meanwhile, so a request is never
 * decided twice across a restart.
 *
 * <p>The end offsets may become known before or after reading starts ({@link #expect}); what was
 * read in the meantime counts. Until they are known, the replay is not complete.
 */
public final class ReplayProgress {

    /** Partition ("topic/partition") → the offset after the last record handled. */
    private final Map<String, Long> read = new HashMap<>();
    /** Partition → the end offset to reach; null until known. */
    private Map<String, Long> targets;
    private volatile boolean caughtUp;

    public static String partition(String topic, int partition) {
        return topic + "/" + partition;
    }

    /**
     * Sets the end offsets to reach: those of every partition the queue reads, taken at or after
     * the start. Partitions with nothing in them need no reading.
     *
     * @return true when this completed the replay
     */
    public synchronized boolean expect(Map<String, Long> endOffsets) {
        Map<String, Long> nonEmpty = new HashMap<>();
        endOffsets.forEach((partition, end) -> {
            if (end != null && end > 0) {
                nonEmpty.put(partition, end);
            }
        });
        targets = nonEmpty;
        return check();
    }

    /**
     * Notes that the record at {@code offset} was handled (applied, or given up on and
     * dead-lettered).
     *
     * @return true when this record completed the replay
     */
    public synchronized boolean consumed(String topic, int partition, long offset) {
        if (caughtUp) {
            return false;
        }
        read.merge(partition(topic, partition), offset + 1, Math::max);
        return check();
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    /** Partitions still to be read, or -1 while the end offsets are not known yet. */
    public synchronized int partitionsRemaining() {
        if (targets == null) {
            return -1;
        }
        return (int) targets.entrySet().stream()
                .filter(target -> read.getOrDefault(target.getKey(), 0L) < target.getValue()).count();
    }

    private boolean check() {
        if (caughtUp || targets == null || partitionsRemaining() > 0) {
            return false;
        }
        caughtUp = true;
        return true;
    }
}
