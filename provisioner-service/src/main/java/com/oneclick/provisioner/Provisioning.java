package com.oneclick.provisioner;

import com.oneclick.model.RequestIds;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.StackPushed;
import com.oneclick.provisioner.build.BuildStatus;
import com.oneclick.provisioner.build.BuildSystem;
import com.oneclick.provisioner.build.InstanceOutputs;
import com.oneclick.provisioner.events.EventSink;
import com.oneclick.provisioner.git.StackPushException;
import com.oneclick.provisioner.git.StackStore;
import com.oneclick.provisioner.inventory.Inventory;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.inventory.RowStatus;
import com.oneclick.provisioner.stack.StackWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The use case: approved requests' way to resources (instances, clusters, ...), as a state machine over their
 * inventory rows.
 *
 * <pre>
 *   (no row) ─record─► APPROVED ─commit+push─► PUSHED ─start build─► BUILDING ─┬─► PROVISIONED
 *                                                                              └─► FAILED (stack reverted)
 * </pre>
 *
 * <p>A request is for a product of the catalog (an EC2 instance, an Aurora MySQL cluster, ...): its row's
 * stack files, the module its build applies and the outputs it reports follow from the product's entry;
 * nothing here depends on which product it is.
 *
 * <p>Three sides. {@link #approved} runs on the Kafka consumer: it only records the row (durably)
 * and returns, so no push or build ever holds up the consumer. Two threads ({@link #start}) then
 * move the rows that have work left, each its own part of the state machine, so neither waits for
 * the other: the <em>pusher</em> sends all stacks waiting to be pushed in one commit and one push
 * (APPROVED rows), and the <em>build driver</em> starts builds, polls them (a build of any length
 * blocks nothing) and publishes the outcome of final rows (PUSHED, BUILDING and final rows). A new
 * approval wakes the pusher, a push or a build that changed wakes the build driver. A push is not
 * held up by the outcome events, row writes and build starts of earlier requests, and those go on
 * while a push is on the wire. {@link #advance} makes one pass of both in the calling thread (tests).
 *
 * <p>Every step is recorded in the row before its event is published, and both threads work from
 * the rows alone, so a restart resumes each request where it stopped (pushed but not built, built
 * but not published) and a replayed approval only completes what is missing. A final row whose
 * outcome event was acknowledged ({@code outcomePublishedAt}) is left alone. A step that throws
 * (remote down, build service down, broker down) leaves the row where it was for the next pass; a
 * push that keeps failing past {@link Settings#pushGiveUpAfter} and a build that never appears
 * within {@link Settings#buildAppearTimeout} fail the request, so its requester hears of it.
 *
 * <p>Knows only its ports: no framework, broker, git or file-system types.
 */
public final class Provisioning implements AutoCloseable {

    public static final String PHASE_PUSH = "push";
    public static final String PHASE_BUILD = "build";
    private static final Logger log = LoggerFactory.getLogger(Provisioning.class);

    /**
     * @param maxBatch           most stacks in one commit
     * @param pushGiveUpAfter    how long a request may wait for a push that keeps failing before it fails
     * @param buildAppearTimeout how long a pushed stack may wait for its build to appear
     * @param idle               how long the pusher and the build driver wait between passes when nothing moved
     */
    public record Settings(int maxBatch, Duration pushGiveUpAfter, Duration buildAppearTimeout, Duration idle) {

        public static final Settings DEFAULTS = new Settings(100, Duration.ofMinutes(30), Duration.ofMinutes(10),
                Duration.ofMillis(100));

        public Settings {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be at least 1");
            }
        }
    }

    private final Inventory inventory;
    private final StackWriter stackWriter;
    private final StackStore stacks;
    private final BuildSystem builds;
    private final EventSink events;
    private final Clock clock;
    private final Settings settings;
    private final Checkpoint checkpoint;

    /** APPROVED rows; the only writer of them after {@link #approved} created them. */
    private final Loop pusher = new Loop("provisioning-pusher", this::pushPass);
    /** PUSHED, BUILDING and final rows. */
    private final Loop buildDriver = new Loop("provisioning-builds", this::buildPass);
    /** Build driver only. */
    private final Map<String, String> lastProblem = new HashMap<>();
    /**
     * Rows the pusher has recorded as PUSHED but not yet announced: the build driver leaves them
     * alone until their StackPushed is out, so a request's BuildStarted never comes before it.
     */
    private final Set<String> announcingPush = ConcurrentHashMap.newKeySet();
    /** Pusher only. */
    private int pushFailures;
    /** Pusher only. */
    private Instant nextPushAttempt = Instant.MIN;

    public Provisioning(Inventory inventory, StackWriter stackWriter, StackStore stacks, BuildSystem builds,
                        EventSink events, Clock clock, Settings settings) {
        this(inventory, stackWriter, stacks, builds, events, clock, settings, Checkpoint.NONE);
    }

    public Provisioning(Inventory inventory, StackWriter stackWriter, StackStore stacks, BuildSystem builds,
                        EventSink events, Clock clock, Settings settings, Checkpoint checkpoint) {
        this.inventory = inventory;
        this.stackWriter = stackWriter;
        this.stacks = stacks;
        this.builds = builds;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        this.checkpoint = checkpoint;
    }

    // ---- the consumer side ---------------------------------------------------------------------

    /**
     * Records an approval once (the row is durable when this returns) and wakes the pusher. A
     * request already recorded is left as it is: the threads finish whatever it still lacks.
     */
    public synchronized void approved(RequestApproved event) {
        String requestId = event.requestId();
        if (!RequestIds.isValid(requestId)) {
            throw new IllegalArgumentException("not a request ID");
        }
        Optional<InventoryRow> existing = inventory.find(requestId);
        if (existing.isEmpty()) {
            inventory.save(InventoryRow.approved(requestId, event.request(), event.approvedBy(), clock.instant()));
            log.info("Recorded approved request {}", requestId);
        } else {
            log.info("Request {} is already recorded ({}); nothing new to record", requestId,
                    existing.get().status());
        }
        pusher.wake();
    }

    // ---- the threads ---------------------------------------------------------------------------

    /** Starts the pusher and the build driver, which first resume whatever the inventory holds unfinished. */
    public void start() {
        builds.whenChanged(buildDriver::wake);
        log.info("Provisioning started; {} request(s) with work left", inventory.unfinished().size());
        pusher.start();
        buildDriver.start();
    }

    /** Stops both threads after their current step. */
    @Override
    public void close() {
        pusher.stop();
        buildDriver.stop();
    }

    /**
     * One pass of each side in the calling thread: push the waiting stacks (one commit), start
     * builds, look at running builds, publish outcomes.
     *
     * @return true when a row moved (another pass may find more to do at once)
     */
    public boolean advance() {
        boolean moved = pushWaitingStacks();
        moved |= buildPass();
        return moved;
    }

    private boolean pushPass() {
        boolean moved = pushWaitingStacks();
        if (moved) {
            buildDriver.wake();
        }
        return moved;
    }

    private boolean buildPass() {
        boolean moved = startBuilds();
        moved |= lookAtBuilds();
        moved |= publishOutcomes();
        return moved;
    }

    /**
     * A thread that makes passes: another one at once after a pass that moved a row or when woken,
     * else one every {@link Settings#idle} (backoffs and time-outs are checked by the passes).
     */
    private final class Loop {

        private final String name;
        private final BooleanSupplier pass;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition work = lock.newCondition();
        private boolean signalled;
        private volatile Thread thread;

        Loop(String name, BooleanSupplier pass) {
            this.name = name;
            this.pass = pass;
        }

        void start() {
            Thread started = new Thread(this::run, name);
            started.setDaemon(true);
            thread = started;
            started.start();
        }

        void stop() {
            Thread running = thread;
            thread = null;
            if (running != null) {
                running.interrupt();
                try {
                    running.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void wake() {
            lock.lock();
            try {
                signalled = true;
                work.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void run() {
            while (thread == Thread.currentThread()) {
                try {
                    if (!pass.getAsBoolean()) {
                        await(settings.idle());
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.error("Provisioning pass ({}) failed; trying again", name, e);
                    try {
                        await(Duration.ofSeconds(1));
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }

        private void await(Duration atMost) throws InterruptedException {
            lock.lock();
            try {
                if (!signalled) {
                    work.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
                }
                signalled = false;
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean pushWaitingStacks() {
        List<InventoryRow> waiting = rowsIn(RowStatus.APPROVED);
        Instant now = clock.instant();
        if (waiting.isEmpty() || now.isBefore(nextPushAttempt)) {
            return false;
        }
        List<InventoryRow> unknown = waiting.stream().filter(row -> row.request().catalogProduct().isEmpty()).toList();
        if (!unknown.isEmpty()) {
            // only a hand-edited inventory gets here (every consumed request was validated against the catalog)
            inventory.saveAll(unknown.stream().map(row -> row.failed(PHASE_PUSH, "the request is for the product '"
                    + row.request().product() + "', which this provisioner's catalog does not have", now)).toList());
            return true;
        }
        List<InventoryRow> batch = waiting.subList(0, Math.min(waiting.size(), settings.maxBatch()));
        Map<String, Map<String, byte[]>> files = new LinkedHashMap<>();
        batch.forEach(row -> files.put(row.requestId(), stackWriter.stackFiles(row)));
        Map<String, String> commits;
        try {
            commits = stacks.pushStacks(files, commitMessage(batch));
        } catch (StackPushException e) {
            return pushFailed(batch, e);
        }
        checkpoint.reached(Checkpoint.PUSHED);
        pushFailures = 0;
        nextPushAttempt = Instant.MIN;
        List<InventoryRow> pushed = new ArrayList<>();
        for (InventoryRow row : batch) {
            String commitId = commits.get(row.requestId());
            if (commitId == null) {
                throw new IllegalStateException("the push reported no commit for " + row.requestId());
            }
            pushed.add(row.pushed(commitId, clock.instant()));
        }
        pushed.forEach(row -> announcingPush.add(row.requestId()));
        try {
            inventory.saveAll(pushed);
            log.info("Pushed {} stack(s) in {}", pushed.size(), pushed.get(0).commitId());
            for (InventoryRow row : pushed) {
                announce(StackPushed.of(row.requestId(), row.commitId(), stacks.branch(),
                        stacks.stackPath(row.requestId()), row.expiresAt()));
            }
        } finally {
            pushed.forEach(row -> announcingPush.remove(row.requestId()));
        }
        return true;
    }

    private boolean pushFailed(List<InventoryRow> batch, StackPushException e) {
        pushFailures++;
        Duration wait = Duration.ofSeconds(1L << Math.min(pushFailures - 1, 6));
        nextPushAttempt = clock.instant().plus(wait);
        log.warn("Push of {} stack(s) failed (failure {} in a row), next try in {} s: {}", batch.size(), pushFailures,
                wait.toSeconds(), e.getMessage());
        List<InventoryRow> givenUp = new ArrayList<>();
        for (InventoryRow row : batch) {
            if (Duration.between(row.updatedAt(), clock.instant()).compareTo(settings.pushGiveUpAfter()) > 0) {
                givenUp.add(row.failed(PHASE_PUSH, "the stack could not be pushed for "
                        + settings.pushGiveUpAfter().toMinutes() + " min: " + e.getMessage(), clock.instant()));
            }
        }
        if (givenUp.isEmpty()) {
            return false;
        }
        inventory.saveAll(givenUp);
        return true;
    }

    private boolean startBuilds() {
        boolean moved = false;
        for (InventoryRow row : rowsIn(RowStatus.PUSHED)) {
            if (announcingPush.contains(row.requestId())) {
                continue; // the pusher wakes this thread once its StackPushed is out
            }
            Optional<String> buildId;
            try {
                buildId = builds.start(row.requestId(), row.commitId(), product(row));
            } catch (RuntimeException e) {
                problem(row, "starting its build", e);
                continue;
            }
            if (buildId.isPresent()) {
                InventoryRow building = save(row.building(buildId.get(), clock.instant()));
                announce(BuildStarted.of(row.requestId(), building.buildId(), builds.mode()));
                moved = true;
            } else if (Duration.between(row.updatedAt(), clock.instant())
                    .compareTo(settings.buildAppearTimeout()) > 0) {
                save(row.failed(PHASE_BUILD, "no " + builds.mode() + " build of commit " + row.commitId()
                        + " appeared within " + settings.buildAppearTimeout().toMinutes() + " min", clock.instant()));
                moved = true;
            }
        }
        return moved;
    }

    private boolean lookAtBuilds() {
        boolean moved = false;
        for (InventoryRow row : rowsIn(RowStatus.BUILDING)) {
            BuildStatus status;
            try {
                status = builds.status(row.requestId(), row.commitId(), row.buildId(), product(row));
            } catch (RuntimeException e) {
                problem(row, "looking at build " + row.buildId(), e);
                continue;
            }
            if (!(status instanceof BuildStatus.Running)) {
                checkpoint.reached(Checkpoint.BUILT);
            }
            if (status instanceof BuildStatus.Succeeded succeeded) {
                Product product = product(row);
                InstanceOutputs out = succeeded.outputs();
                log.info("Request {} provisioned: {} {}", row.requestId(), product.name(), out.id(product));
                save(row.provisioned(out.id(product), out.name(product), out.privateIp(), out.availabilityZone(),
                        out.values(), clock.instant()));
                moved = true;
            } else if (status instanceof BuildStatus.Failed failed) {
                log.warn("Build {} of request {} failed in {}: {}", row.buildId(), row.requestId(), failed.phase(),
                        firstLine(failed.reason()));
                save(row.failed(failed.phase(), failed.reason(), clock.instant()));
                moved = true;
            }
        }
        return moved;
    }

    private boolean publishOutcomes() {
        boolean moved = false;
        for (InventoryRow row : inventory.unfinished()) {
            if (!row.status().isFinal()) {
                continue;
            }
            try {
                publishOutcome(row);
                moved = true;
            } catch (RuntimeException e) {
                problem(row, "publishing its outcome", e);
            }
        }
        return moved;
    }

    private void publishOutcome(InventoryRow row) {
        RequestEvent outcome;
        if (row.status() == RowStatus.PROVISIONED) {
            outcome = InstanceProvisioned.of(row.requestId(), row.instanceId(), row.instanceName(), row.privateIp(),
                    row.availabilityZone(), builds.simulated(), row.commitId(), row.buildId(), row.request(),
                    row.outputs());
        } else {
            // back to the last state that applied; idempotent, so safe to repeat
            if (row.commitId() != null) {
                stacks.revertStack(row.requestId(), row.commitId());
            }
            outcome = ProvisioningFailed.of(row.requestId(),
                    row.failurePhase() == null ? PHASE_BUILD : row.failurePhase(), row.failureReason(), row.request());
        }
        events.publish(outcome);
        save(row.outcomePublished(clock.instant()));
        lastProblem.remove(row.requestId());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private List<InventoryRow> rowsIn(RowStatus status) {
        return inventory.unfinished().stream().filter(row -> row.status() == status).toList();
    }

    /** The catalog entry of the row's product (rows of unknown products fail before they are pushed). */
    private static Product product(InventoryRow row) {
        return row.request().catalogProduct().orElseThrow(() -> new IllegalStateException("request "
                + row.requestId() + " is for the product '" + row.request().product() + "', which the catalog lacks"));
    }

    private InventoryRow save(InventoryRow row) {
        inventory.save(row);
        return row;
    }

    /** Progress events are for people watching; losing one (broker down) must not stop the request. */
    private void announce(RequestEvent event) {
        try {
            events.publish(event);
        } catch (RuntimeException e) {
            log.warn("Could not publish {} of request {}: {}", event.type().wireName(), event.requestId(),
                    e.getMessage());
        }
    }

    /** Logs a step that will be tried again: once per distinct problem, not on every pass. */
    private void problem(InventoryRow row, String what, RuntimeException e) {
        String message = what + ": " + e.getMessage();
        if (!message.equals(lastProblem.put(row.requestId(), message))) {
            log.warn("Request {}: {} failed; trying again: {}", row.requestId(), what, e.getMessage());
        }
    }

    private static String commitMessage(List<InventoryRow> batch) {
        if (batch.size() == 1) {
            return "Provision " + batch.get(0).requestId();
        }
        StringBuilder message = new StringBuilder("Provision " + batch.size() + " stacks\n\n");
        batch.forEach(row -> message.append(row.requestId()).append('\n'));
        return message.toString();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
