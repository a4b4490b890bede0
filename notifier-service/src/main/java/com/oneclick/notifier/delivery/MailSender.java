package com.oneclick.notifier.delivery;

import com.oneclick.notifier.MailDelivery;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread that talks to the mail server: runs {@link MailDelivery#runDue()} whenever an email
 * is due or was just queued ({@link #wakeUp()}), and sleeps otherwise. The Kafka consumer never
 * waits for it.
 */
@Context
public class MailSender {

    private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

    private final MailDelivery delivery;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    public MailSender(MailDelivery delivery) {
        this.delivery = delivery;
    }

    @PostConstruct
    void start() {
        running = true;
        thread = new Thread(this::loop, "mail-sender");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        wakeUp();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Something was queued: look at the outbox now rather than at the next due time. */
    public void wakeUp() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (running) {
            Optional<Instant> next;
            try {
                next = delivery.runDue();
            } catch (RuntimeException e) {
                LOG.error("Mail delivery failed unexpectedly; trying again in {} ms", ERROR_PAUSE.toMillis(), e);
                next = Optional.of(Instant.now().plus(ERROR_PAUSE));
            }
            lock.lock();
            try {
                if (!woken && running) {
                    if (next.isEmpty()) {
                        signal.await();
                    } else {
                        long nanos = Duration.between(Instant.now(), next.get()).toNanos();
                        if (nanos > 0) {
                            signal.awaitNanos(nanos);
                        }
                    }
                }
                woken = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }
}
