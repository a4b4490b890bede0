package com.oneclick.approval.intake;

import com.oneclick.approval.queue.Decisions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code oneclick.approval.sweep-interval}: expires the requests that waited too long and
 * hands on those whose routing could not be published before. Both do nothing until the queue has
 * been rebuilt from the topics, and both are safe to repeat.
 */
public final class Sweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    private final Decisions decisions;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public Sweeper(Decisions decisions, Duration interval) {
        this.decisions = decisions;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "approval-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void sweep() {
        try {
            decisions.routeWaiting();
            decisions.expireOverdue();
        } catch (RuntimeException e) {
            log.warn("Sweeping the approval queue failed ({}); next attempt in {}", e.getMessage(), interval);
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
