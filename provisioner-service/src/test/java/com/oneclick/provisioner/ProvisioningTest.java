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
import com.oneclick.provisioner.git.StackPushException;
import com.oneclick.provisioner.git.StackStore;
import com.oneclick.provisioner.inventory.Inventory;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.inventory.RowStatus;
import com.oneclick.provisioner.stack.TfvarsWriter;
import com.oneclick.provisioner.support.Fixtures;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state machine against in-memory ports: every transition, replays and crashes between steps. */
class ProvisioningTest {

    private final MemoryInventory inventory = new MemoryInventory();
    private final FakeStacks stacks = new FakeStacks();
    private final FakeBuilds builds = new FakeBuilds();
    private final RecordingEvents events = new RecordingEvents();
    private final Provisioning provisioning = new Provisioning(inventory, new TfvarsWriter(), stacks, builds, events,
            Clock.fixed(Fixtures.T0, ZoneOffset.UTC));

    @Test
    void anApprovalIsRecordedPushedBuiltAndAnnounced() {
        // given
        RequestApproved approved = approval("web-1");

        // when
        provisioning.approved(approved);

        // then
        InventoryRow row = inventory.find(approved.requestId()).orElseThrow();
        assertThat(row.status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(row.commitId()).isEqualTo("commit-1");
        assertThat(row.buildId()).isEqualTo("build-1");
        assertThat(row.instanceId()).isEqualTo("i-0123456789abcdef0");
        assertThat(row.approvedBy()).isEqualTo("alice");
        assertThat(row.request()).isEqualTo(approved.request());
        assertThat(row.outcomePublishedAt()).isEqualTo(Fixtures.T0);
        assertThat(events.types()).containsExactly(StackPushed.class, BuildStarted.class, InstanceProvisioned.class);
        StackPushed pushed = (StackPushed) events.published.get(0);
        assertThat(pushed.commitId()).isEqualTo("commit-1");
        assertThat(pushed.stackPath()).isEqualTo("stacks/" + approved.requestId());
        InstanceProvisioned provisioned = (InstanceProvisioned) events.published.get(2);
        assertThat(provisioned.instanceId()).isEqualTo("i-0123456789abcdef0");
        assertThat(provisioned.simulated()).isTrue();
        assertThat(provisioned.commitId()).isEqualTo("commit-1");
        assertThat(provisioned.buildId()).isEqualTo("build-1");
        assertThat(provisioned.request()).isEqualTo(approved.request());
        assertThat(stacks.files.get(approved.requestId())).containsKey(TfvarsWriter.FILE_NAME);
    }

    @Test
    void aReplayedApprovalChangesNothing() {
        // given
        RequestApproved approved = approval("web-1");
        provisioning.approved(approved);
        InventoryRow before = inventory.find(approved.requestId()).orElseThrow();
        int saves = inventory.saves;

        // when
        provisioning.approved(approved);

        // then
        assertThat(inventory.find(approved.requestId())).contains(before);
        assertThat(inventory.saves).isEqualTo(saves);
        assertThat(stacks.pushes).isEqualTo(1);
        assertThat(builds.starts).isEqualTo(1);
        assertThat(builds.awaits).isEqualTo(1);
        assertThat(events.published).hasSize(3);
    }

    @Test
    void aFailedBuildIsRecordedRevertedAndAnnounced() {
        // given
        builds.outcome = new BuildOutcome.Failed("Error: no capacity");
        RequestApproved approved = approval("web-1");

        // when
        provisioning.approved(approved);

        // then
        InventoryRow row = inventory.find(approved.requestId()).orElseThrow();
        assertThat(row.status()).isEqualTo(RowStatus.FAILED);
        assertThat(row.failureReason()).isEqualTo("Error: no capacity");
        assertThat(row.outcomePublishedAt()).isNotNull();
        assertThat(stacks.reverts).containsExactly(approved.requestId() + "@commit-1");
        assertThat(events.types()).containsExactly(StackPushed.class, BuildStarted.class, ProvisioningFailed.class);
        ProvisioningFailed failed = (ProvisioningFailed) events.published.get(2);
        assertThat(failed.phase()).isEqualTo("build");
        assertThat(failed.reason()).isEqualTo("Error: no capacity");
    }

    @Test
    void aPushThatFailsLeavesTheRowApprovedAndAReplayCompletesIt() {
        // given
        stacks.failures = 1;
        RequestApproved approved = approval("web-1");

        // when
        assertThatThrownBy(() -> provisioning.approved(approved)).isInstanceOf(StackPushException.class);
        RowStatus afterFailure = inventory.find(approved.requestId()).orElseThrow().status();
        provisioning.approved(approved);

        // then
        assertThat(afterFailure).isEqualTo(RowStatus.APPROVED);
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(events.types()).containsExactly(StackPushed.class, BuildStarted.class, InstanceProvisioned.class);
    }

    @Test
    void anOutcomeTheBrokerDidNotTakeIsPublishedOnReplayWithoutBuildingAgain() {
        // given
        events.failOn = InstanceProvisioned.class;
        RequestApproved approved = approval("web-1");
        assertThatThrownBy(() -> provisioning.approved(approved)).isInstanceOf(IllegalStateException.class);
        InventoryRow recorded = inventory.find(approved.requestId()).orElseThrow();

        // when
        events.failOn = null;
        provisioning.approved(approved);

        // then
        assertThat(recorded.status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(recorded.outcomePublishedAt()).isNull();
        assertThat(inventory.find(approved.requestId()).orElseThrow().outcomePublishedAt()).isNotNull();
        assertThat(builds.awaits).isEqualTo(1);
        assertThat(stacks.pushes).isEqualTo(1);
        assertThat(events.types()).containsExactly(StackPushed.class, BuildStarted.class, InstanceProvisioned.class);
    }

    @Test
    void aRowLeftBuildingByACrashResumesItsBuildWithoutStartingAnother() {
        // given
        RequestApproved approved = approval("web-1");
        inventory.save(InventoryRow.approved(approved.requestId(), approved.request(), "alice", Fixtures.T0)
                .pushed("commit-7", Fixtures.T0).building("build-7", Fixtures.T0));

        // when
        provisioning.approved(approved);

        // then
        assertThat(builds.starts).isZero();
        assertThat(builds.lastAwaited).isEqualTo("build-7");
        assertThat(stacks.pushes).isZero();
        assertThat(events.types()).containsExactly(InstanceProvisioned.class);
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
    }

    @Test
    void aFailureWhoseOutcomeWasNotPublishedIsRevertedAgainAndPublished() {
        // given
        RequestApproved approved = approval("web-1");
        inventory.save(InventoryRow.approved(approved.requestId(), approved.request(), "alice", Fixtures.T0)
                .pushed("commit-7", Fixtures.T0).building("build-7", Fixtures.T0).failed("Error: x", Fixtures.T0));

        // when
        provisioning.approved(approved);

        // then
        assertThat(builds.awaits).isZero();
        assertThat(stacks.reverts).containsExactly(approved.requestId() + "@commit-7");
        assertThat(events.types()).containsExactly(ProvisioningFailed.class);
    }

    @Test
    void anApprovalWithoutAValidRequestIdTouchesNothing() {
        // given
        RequestApproved approved = approval("web-1");
        RequestApproved hostile = new RequestApproved(approved.eventId(), "../../etc", approved.occurredAt(),
                approved.schemaVersion(), approved.approvedBy(), null, null, null, approved.request());

        // when / then
        assertThatThrownBy(() -> provisioning.approved(hostile)).isInstanceOf(IllegalArgumentException.class);
        assertThat(inventory.all()).isEmpty();
        assertThat(events.published).isEmpty();
    }

    private static RequestApproved approval(String name) {
        return RequestApproved.of(RequestIds.newId(), "alice", "fine", Fixtures.request(name));
    }

    // ---- in-memory ports --------------------------------------------------------------------------

    static final class MemoryInventory implements Inventory {
        final Map<String, InventoryRow> rows = new LinkedHashMap<>();
        int saves;

        @Override
        public Optional<InventoryRow> find(String requestId) {
            return Optional.ofNullable(rows.get(requestId));
        }

        @Override
        public void save(InventoryRow row) {
            saves++;
            rows.put(row.requestId(), row);
        }

        @Override
        public List<InventoryRow> all() {
            return List.copyOf(rows.values());
        }
    }

    static final class FakeStacks implements StackStore {
        final Map<String, Map<String, byte[]>> files = new LinkedHashMap<>();
        final List<String> reverts = new ArrayList<>();
        int pushes;
        int failures;

        @Override
        public String branch() {
            return "main";
        }

        @Override
        public String stackPath(String requestId) {
            return "stacks/" + requestId;
        }

        @Override
        public String pushStack(String requestId, Map<String, byte[]> stackFiles, String message) {
            if (failures > 0) {
                failures--;
                throw new StackPushException("remote unreachable", null);
            }
            pushes++;
            files.put(requestId, stackFiles);
            return "commit-" + pushes;
        }

        @Override
        public void revertStack(String requestId, String commitId) {
            reverts.add(requestId + "@" + commitId);
        }
    }

    static final class FakeBuilds implements BuildSystem {
        BuildOutcome outcome = new BuildOutcome.Succeeded(
                new InstanceOutputs("i-0123456789abcdef0", "web-1", "10.1.2.3", "eu-west-1a"));
        int starts;
        int awaits;
        String lastAwaited;

        @Override
        public String mode() {
            return "local";
        }

        @Override
        public boolean simulated() {
            return true;
        }

        @Override
        public String start(String requestId, String commitId) {
            starts++;
            return "build-" + starts;
        }

        @Override
        public BuildOutcome await(String requestId, String commitId, String buildId) {
            awaits++;
            lastAwaited = buildId;
            return outcome;
        }
    }

    static final class RecordingEvents implements EventSink {
        final List<RequestEvent> published = new ArrayList<>();
        Class<? extends RequestEvent> failOn;

        @Override
        public void publish(RequestEvent event) {
            if (event.getClass() == failOn) {
                throw new IllegalStateException("broker down");
            }
            published.add(event);
        }

        List<Class<?>> types() {
            return published.stream().<Class<?>>map(Object::getClass).toList();
        }
    }
}
