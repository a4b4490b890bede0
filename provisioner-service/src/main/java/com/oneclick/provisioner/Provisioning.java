package com.oneclick.provisioner;

import com.oneclick.model.RequestIds;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.StackPushed;
import com.oneclick.provisioner.build.BuildOutcome;
import com.oneclick.provisioner.build.BuildSystem;
import com.oneclick.provisioner.build.InstanceOutputs;
import com.oneclick.provisioner.events.EventSink;
import com.oneclick.provisioner.git.StackStore;
import com.oneclick.provisioner.inventory.Inventory;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.inventory.RowStatus;
import com.oneclick.provisioner.stack.StackWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * The use case: one approved request's way to an instance, as a state machine over its inventory
 * row. Every step is recorded in the row before its event is published, and every run continues
 * from the row's status, so a replayed or redelivered approval only completes what is missing:
 *
 * <pre>
 *   (no row) ─insert─► APPROVED ─commit+push─► PUSHED ─start build─► BUILDING ─┬─► PROVISIONED
 *                                                                              └─► FAILED (stack reverted)
 * </pre>
 *
 * A final row whose outcome event was acknowledged ({@code outcomePublishedAt}) is left alone; one
 * whose outcome was not yet published only gets it published (after making sure a failed stack is
 * reverted). A step that throws (remote down, broker down) leaves the row where it was.
 *
 * <p>Knows only its ports: no framework, broker, git or file-system types.
 */
public final class Provisioning {

    public static final String PHASE_BUILD = "build";
    private static final Logger log = LoggerFactory.getLogger(Provisioning.class);

    private final Inventory inventory;
    private final StackWriter stackWriter;
    private final StackStore stacks;
    private final BuildSystem builds;
    private final EventSink events;
    private final Clock clock;

    public Provisioning(Inventory inventory, StackWriter stackWriter, StackStore stacks, BuildSystem builds,
                        EventSink events, Clock clock) {
        this.inventory = inventory;
        this.stackWriter = stackWriter;
        this.stacks = stacks;
        this.builds = builds;
        this.events = events;
        this.clock = clock;
    }

    /** Handles an approval: records it once, then carries the request as far as it goes. */
    public synchronized void approved(RequestApproved event) {
        String requestId = event.requestId();
        if (!RequestIds.isValid(requestId)) {
            throw new IllegalArgumentException("not a request ID");
        }
        InventoryRow row = inventory.find(requestId).orElse(null);
        if (row == null) {
            row = InventoryRow.approved(requestId, event.request(), event.approvedBy(), clock.instant());
            inventory.save(row);
            log.info("Recorded approved request {}", requestId);
        } else if (row.status().isFinal() && row.outcomePublishedAt() != null) {
            log.info("Request {} is already {}; nothing to do", requestId, row.status());
            return;
        }
        advance(row);
    }

    private void advance(InventoryRow start) {
        InventoryRow row = start;
        while (true) {
            switch (row.status()) {
                case APPROVED -> row = push(row);
                case PUSHED -> row = startBuild(row);
                case BUILDING -> row = awaitBuild(row);
                case PROVISIONED, FAILED -> {
                    publishOutcome(row);
                    return;
                }
                default -> throw new IllegalStateException("unknown status " + row.status());
            }
        }
    }

    private InventoryRow push(InventoryRow row) {
        String commitId = stacks.pushStack(row.requestId(), stackWriter.stackFiles(row),
                "Provision " + row.requestId());
        InventoryRow pushed = save(row.pushed(commitId, clock.instant()));
        publish(StackPushed.of(row.requestId(), commitId, stacks.branch(), stacks.stackPath(row.requestId())));
        return pushed;
    }

    private InventoryRow startBuild(InventoryRow row) {
        String buildId = builds.start(row.requestId(), row.commitId());
        InventoryRow building = save(row.building(buildId, clock.instant()));
        publish(BuildStarted.of(row.requestId(), buildId, builds.mode()));
        return building;
    }

    private InventoryRow awaitBuild(InventoryRow row) {
        BuildOutcome outcome = builds.await(row.requestId(), row.commitId(), row.buildId());
        if (outcome instanceof BuildOutcome.Succeeded succeeded) {
            InstanceOutputs out = succeeded.outputs();
            log.info("Request {} provisioned as {}", row.requestId(), out.instanceId());
            return save(row.provisioned(out.instanceId(), out.instanceName(), out.privateIp(), out.availabilityZone(),
                    clock.instant()));
        }
        String reason = ((BuildOutcome.Failed) outcome).reason();
        log.warn("Build of request {} failed: {}", row.requestId(), firstLine(reason));
        return save(row.failed(reason, clock.instant()));
    }

    private void publishOutcome(InventoryRow row) {
        if (row.outcomePublishedAt() != null) {
            return;
        }
        RequestEvent outcome;
        if (row.status() == RowStatus.PROVISIONED) {
            outcome = InstanceProvisioned.of(row.requestId(), row.instanceId(), row.instanceName(), row.privateIp(),
                    row.availabilityZone(), builds.simulated(), row.commitId(), row.buildId(), row.request());
        } else {
            // back to the last state that applied; idempotent, so safe to repeat on a replay
            if (row.commitId() != null) {
                stacks.revertStack(row.requestId(), row.commitId());
            }
            outcome = ProvisioningFailed.of(row.requestId(), PHASE_BUILD, row.failureReason(), row.request());
        }
        publish(outcome);
        save(row.outcomePublished(clock.instant()));
    }

    private InventoryRow save(InventoryRow row) {
        inventory.save(row);
        return row;
    }

    private void publish(RequestEvent event) {
        events.publish(event);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
