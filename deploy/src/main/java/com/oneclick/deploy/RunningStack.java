package com.oneclick.deploy;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes the launcher started, and the order they stop in: services first (together), then
 * GreenMail, then Kafka, so the services can still commit offsets and flush while they go down.
 * {@link #stop} is idempotent and safe to call from a shutdown hook.
 */
public final class RunningStack {

    private static final Duration SERVICE_GRACE = Duration.ofSeconds(30);
    private static final Duration MAIL_GRACE = Duration.ofSeconds(10);
    private static final Duration KAFKA_GRACE = Duration.ofSeconds(60);

    private final PrintStream out;
    private final List<ServiceProcess> services = new ArrayList<>();
    private ServiceProcess mail;
    private ServiceProcess kafka;
    private volatile boolean stopping;

    public RunningStack(PrintStream out) {
        this.out = out;
    }

    public synchronized void kafka(ServiceProcess process) {
        this.kafka = process;
    }

    public synchronized void mail(ServiceProcess process) {
        this.mail = process;
    }

    public synchronized void service(ServiceProcess process) {
        services.add(process);
    }

    public synchronized List<ServiceProcess> all() {
        List<ServiceProcess> all = new ArrayList<>();
        if (kafka != null) {
            all.add(kafka);
        }
        if (mail != null) {
            all.add(mail);
        }
        all.addAll(services);
        return all;
    }

    public boolean stopping() {
        return stopping;
    }

    /** Stops everything that runs, in order. */
    public synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (all().stream().noneMatch(ServiceProcess::isAlive)) {
            return;
        }
        out.println();
        out.println("Stopping OneClick ...");
        ServiceProcess.inParallel(services, service -> stopOne(service, SERVICE_GRACE));
        if (mail != null) {
            stopOne(mail, MAIL_GRACE);
        }
        if (kafka != null) {
            stopOne(kafka, KAFKA_GRACE);
        }
        out.println("Stopped. State is kept for the next start.");
        out.flush();
    }

    private void stopOne(ServiceProcess process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        long start = System.nanoTime();
        process.stop(grace);
        out.printf("  %-20s stopped (%.1f s)%n", process.name(), (System.nanoTime() - start) / 1e9);
    }
}
