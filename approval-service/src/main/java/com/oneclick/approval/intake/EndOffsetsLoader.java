package com.oneclick.approval.intake;

import com.oneclick.approval.queue.ReplayProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When the application starts, reads where the queue's topics end and hands that to the
 * {@link ReplayProgress}. The first attempt runs during start-up, so the service reports itself
 * ready only once it knows; if Kafka does not answer, start-up goes on and a background thread
 * retries every few seconds (decisions wait meanwhile, everything else works).
 */
public final class EndOffsetsLoader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EndOffsetsLoader.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final ReplayProgress replay;
    private final Map<String, Object> clientConfig;
    private final List<String> topics;
    private final Runnable whenCaughtUp;
    private ScheduledExecutorService executor;

    /** @param whenCaughtUp runs when reading the end offsets completes the replay (empty topics) */
    public EndOffsetsLoader(ReplayProgress replay, Map<String, Object> clientConfig, List<String> topics,
                            Runnable whenCaughtUp) {
        this.replay = replay;
        this.whenCaughtUp = whenCaughtUp;
        this.clientConfig = Map.copyOf(clientConfig);
        this.topics = List.copyOf(topics);
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "approval-end-offsets");
            thread.setDaemon(true);
            return thread;
        });
        if (!load()) {
            executor.schedule(this::retry, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void retry() {
        if (!load()) {
            synchronized (this) {
                if (executor != null && !executor.isShutdown()) {
                    executor.schedule(this::retry, RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** One attempt; true when the end offsets are known now. */
    private boolean load() {
        try {
            Map<String, Long> ends = EndOffsets.of(clientConfig, topics, TIMEOUT);
            log.info("Rebuilding the approval queue from {}: reading {} non-empty partition(s) to their end",
                    topics, ends.values().stream().filter(end -> end > 0).count());
            if (replay.expect(ends)) {
                log.info("Approval queue rebuilt from the topics; decisions are open");
                whenCaughtUp.run();
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("Cannot read the end offsets of {} yet ({}); decisions wait, retrying in {}s", topics,
                    e.getMessage(), RETRY.toSeconds());
            return false;
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
