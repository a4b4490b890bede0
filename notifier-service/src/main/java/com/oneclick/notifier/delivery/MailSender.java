package com.oneclick.notifier.delivery;

import com.oneclick.notifier.MailDelivery;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads that talk to the mail server, one per {@link MailDelivery#workers() worker}
 * ({@code ONECLICK_MAIL_SENDERS}): each runs {@link MailDelivery#runDue(int)} for its own share of
 * the outbox whenever one of its emails is due or something was just queued ({@link #wakeUp()}), and
 * sleeps otherwise. The Kafka consumer never waits for them.
 */
@Context
public class MailSender {

    private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

    private final MailDelivery delivery;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private long wakeUps;
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    public MailSender(MailDelivery delivery) {
        this.delivery = delivery;
    }

    @PostConstruct
    void start() {
        running = true;
        delivery.onServerBack(this::wakeUp);
        for (int worker = 0; worker < delivery.workers(); worker++) {
            int mine = worker;
            Thread thread = new Thread(() -> loop(mine), "mail-sender-" + (worker + 1));
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        LOG.info("{} mail sender thread(s) started", threads.size());
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        wakeUp();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /** Something was queued (or the mail server is back): every sender looks at the outbox now. */
    public void wakeUp() {
        lock.lock();
        try {
            wakeUps++;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop(int worker) {
        long seen;
        lock.lock();
        try {
            seen = wakeUps;
        } finally {
            lock.unlock();
        }
        while (running) {
            Optional<Instant> next;
            try {
                next = delivery.runDue(worker);
            } catch (RuntimeException e) {
                LOG.error("Mail delivery failed unexpectedly; trying again in {} ms", ERROR_PAUSE.toMillis(), e);
                next = Optional.of(Instant.now().plus(ERROR_PAUSE));
            }
            lock.lock();
            try {
                while (running && seen == wakeUps) {
                    if (next.isEmpty()) {
                        signal.await();
                    } else {
                        long nanos = Duration.between(Instant.now(), next.get()).toNanos();
                        if (nanos <= 0 || signal.awaitNanos(nanos) <= 0) {
                            break;
                        }
                    }
                }
                seen = wakeUps;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }
}
