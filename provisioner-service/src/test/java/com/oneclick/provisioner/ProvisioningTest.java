package com.oneclick.provisioner;

import com.oneclick.testsupport.MutableClock;
import com.oneclick.model.InstanceRequest;
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
import com.oneclick.provisioner.stack.TfvarsWriter;
import com.oneclick.provisioner.support.Fixtures;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The state machine against in-memory ports: the consumer side only records; each pass
 * ({@link Provisioning#advance}) moves rows on; one test runs the two threads. Every transition, batching, replays,
 * timeouts and crashes between steps.
 */
class ProvisioningTest {

    private static final Provisioning.Settings SETTINGS = new Provisioning.Settings(100, Duration.ofMinutes(30),
            Duration.ofMinutes(10), Duration.ofMillis(100));

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final MemoryInventory inventory = new MemoryInventory();
    private final FakeStacks stacks = new FakeStacks();
    private final FakeBuilds builds = new FakeBuilds();
    private final RecordingEvents events = new RecordingEvents();
    private final Provisioning provisioning = provisioning();

    private Provisioning provisioning() {
        return new Provisioning(inventory, new TfvarsWriter(), stacks, builds, events, clock, SETTINGS);
    }

    /** Runs passes until nothing moves, as the pusher and the build driver do between them. */
    private void drive(Provisioning instance) {
        int passes = 0;
        while (instance.advance()) {
            assertThat(++passes).as("passes until nothing moves").isLessThan(50);
        }
    }

    private void drive() {
        drive(provisioning);
    }

    @Test
    void anApprovalIsRecordedPushedBuiltAndAnnounced() {
        // given
        RequestApproved approved = approval("web-1");

        // when
        provisioning.approved(approved);
        drive();

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
        assertThat(provisioned.outputs()).isEqualTo(Fixtures.ec2Outputs("i-0123456789abcdef0"));
        assertThat(provisioned.privateIp()).isEqualTo("10.1.2.3");
        assertThat(row.outputs()).isEqualTo(Fixtures.ec2Outputs("i-0123456789abcdef0"));
        assertThat(stacks.files.get(approved.requestId())).containsKeys(TfvarsWriter.FILE_NAME, TfvarsWriter.STACK_FILE);
        assertThat(builds.products).containsExactly("ec2-instance");
    }

    @Test
    void aNewApprovalIsPushedWhileAnEarlierOutcomeIsStillBeingPublished() throws Exception {
        // given: the threads running, and the broker slow to take the first request's outcome
        events.holdOn = InstanceProvisioned.class;
        RequestApproved first = approval("slow-1");
        RequestApproved second = approval("quick-2");
        provisioning.start();
        try {
            provisioning.approved(first);
            assertThat(events.holding.await(10, TimeUnit.SECONDS)).as("first outcome being published").isTrue();

            // when
            provisioning.approved(second);

            // then: the second request is pushed and its build started while the first outcome still waits
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inventory.find(second.requestId())
                    .map(row -> row.status() == RowStatus.PUSHED || row.status() == RowStatus.BUILDING
                            || row.status() == RowStatus.PROVISIONED)
                    .orElse(false));
            assertThat(events.published).noneMatch(e -> e instanceof InstanceProvisioned);
            assertThat(events.published).anyMatch(e -> e instanceof StackPushed
                    && e.requestId().equals(second.requestId()));

            // and once the broker takes it, both outcomes go out once
            events.release.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.published.stream()
                    .filter(e -> e instanceof InstanceProvisioned).count() == 2);
            assertThat(inventory.find(first.requestId()).orElseThrow().outcomePublishedAt()).isNotNull();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    inventory.find(second.requestId()).orElseThrow().outcomePublishedAt() != null);
            for (RequestApproved request : List.of(first, second)) {
                assertThat(events.published.stream().filter(e -> e.requestId().equals(request.requestId()))
                        .<Class<?>>map(Object::getClass).toList())
                        .as("events of %s, in order", request.request().name())
                        .containsExactly(StackPushed.class, BuildStarted.class, InstanceProvisioned.class);
            }
        } finally {
            events.release.countDown();
            provisioning.close();
        }
    }

    @Test
    void anAuroraRequestIsBuiltWithItsProductAndAnnouncedWithItsOutputs() {
        // given: a build that reports the cluster's outputs
        RequestApproved approved = RequestApproved.of(RequestIds.newId(), "alice", null,
                Fixtures.auroraRequest("orders-db"));
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("cluster_identifier", "oneclick-" + approved.requestId());
        outputs.put("cluster_name", "orders-db");
        outputs.put("endpoint", "oneclick-x.cluster-abc.eu-west-1.rds.amazonaws.com");
        outputs.put("reader_endpoint", "oneclick-x.cluster-ro-abc.eu-west-1.rds.amazonaws.com");
        outputs.put("port", "3306");
        outputs.put("master_user_secret_arn", "arn:aws:secretsmanager:eu-west-1:000000000000:secret:rds!cluster-x");
        outputs.put("availability_zones", "eu-west-1a, eu-west-1b");
        builds.outcome = new BuildStatus.Succeeded(new InstanceOutputs(outputs));

        // when
        provisioning.approved(approved);
        drive();

        // then: the stack names its module, the build got the product, the row and the event the outputs
        assertThat(new String(stacks.files.get(approved.requestId()).get(TfvarsWriter.STACK_FILE),
                java.nio.charset.StandardCharsets.UTF_8)).contains("\"module\" : \"aurora-mysql\"");
        assertThat(builds.products).containsExactly("aurora-mysql");
        InventoryRow row = inventory.find(approved.requestId()).orElseThrow();
        assertThat(row.status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(row.instanceId()).isEqualTo("oneclick-" + approved.requestId());
        assertThat(row.instanceName()).isEqualTo("orders-db");
        assertThat(row.privateIp()).isNull();
        assertThat(row.availabilityZone()).isNull();
        assertThat(row.outputs()).containsExactlyEntriesOf(outputs);
        InstanceProvisioned provisioned = (InstanceProvisioned) events.published.get(2);
        assertThat(provisioned.instanceId()).isEqualTo("oneclick-" + approved.requestId());
        assertThat(provisioned.instanceName()).isEqualTo("orders-db");
        assertThat(provisioned.privateIp()).isNull();
        assertThat(provisioned.availabilityZone()).isNull();
        assertThat(provisioned.outputs()).containsExactlyEntriesOf(outputs);
        assertThat(provisioned.request().product()).isEqualTo("aurora-mysql");
    }

    @Test
    void aRowOfAProductTheCatalogLacksFailsInsteadOfHoldingUpTheOthers() {
        // given: a row recorded with a product that is not (or no longer) in the catalog, and a good one
        InstanceRequest base = Fixtures.request("odd");
        InstanceRequest unknown = new InstanceRequest(base.name(), base.requesterEmail(), base.region(), base.vpcId(),
                base.subnetId(), base.instanceType(), base.amiId(), base.keyName(), base.rootVolumeGiB(),
                base.securityGroupIds(), base.tags(), null, "s3-bucket", Map.of());
        InventoryRow odd = InventoryRow.approved(RequestIds.newId(), unknown, "alice", Fixtures.T0);
        inventory.save(odd);
        RequestApproved good = approval("web-1");

        // when
        provisioning.approved(good);
        drive();

        // then
        InventoryRow failed = inventory.find(odd.requestId()).orElseThrow();
        assertThat(failed.status()).isEqualTo(RowStatus.FAILED);
        assertThat(failed.failurePhase()).isEqualTo("push");
        assertThat(failed.failureReason()).contains("'s3-bucket'", "catalog");
        assertThat(stacks.files).doesNotContainKey(odd.requestId());
        assertThat(inventory.find(good.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(events.published).filteredOn(ProvisioningFailed.class::isInstance).singleElement()
                .extracting(RequestEvent::requestId).isEqualTo(odd.requestId());
    }

    @Test
    void theStackPushedEventCarriesTheExpiryOfARequestWithATimeToLive() {
        // given
        InstanceRequest base = Fixtures.request("short-lived");
        InstanceRequest withTtl = new InstanceRequest(base.name(), base.requesterEmail(), base.region(), base.vpcId(),
                base.subnetId(), base.instanceType(), base.amiId(), base.keyName(), base.rootVolumeGiB(),
                base.securityGroupIds(), base.tags(), 24);
        RequestApproved approved = RequestApproved.of(RequestIds.newId(), "alice", null, withTtl);

        // when
        provisioning.approved(approved);
        drive();

        // then: the approval was recorded at T0 (cut to the second), plus 24 hours
        StackPushed pushed = (StackPushed) events.published.get(0);
        assertThat(pushed.expiresAt()).isEqualTo(Fixtures.T0.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plus(Duration.ofHours(24)));
        assertThat(((StackPushed) eventsFor(approval("no-ttl")).get(0)).expiresAt()).isNull();
    }

    private List<RequestEvent> eventsFor(RequestApproved approved) {
        int before = events.published.size();
        provisioning.approved(approved);
        drive();
        return events.published.subList(before, events.published.size());
    }

    @Test
    void theConsumerSideOnlyRecordsTheApproval() {
        // given
        RequestApproved approved = approval("web-1");

        // when
        provisioning.approved(approved);

        // then
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.APPROVED);
        assertThat(stacks.pushes).isZero();
        assertThat(builds.starts).isZero();
        assertThat(events.published).isEmpty();
    }

    @Test
    void approvalsThatArriveTogetherArePushedInOneCommit() {
        // given
        List<RequestApproved> approvals = List.of(approval("web-1"), approval("web-2"), approval("web-3"));

        // when
        approvals.forEach(provisioning::approved);
        drive();

        // then
        assertThat(stacks.pushes).isEqualTo(1);
        assertThat(stacks.batchSizes).containsExactly(3);
        assertThat(approvals).allSatisfy(approved -> {
            InventoryRow row = inventory.find(approved.requestId()).orElseThrow();
            assertThat(row.commitId()).isEqualTo("commit-1");
            assertThat(row.status()).isEqualTo(RowStatus.PROVISIONED);
        });
        assertThat(events.published).hasSize(9);
    }

    @Test
    void aBatchIsCappedAtTheConfiguredSize() {
        // given
        Provisioning small = new Provisioning(inventory, new TfvarsWriter(), stacks, builds, events, clock,
                new Provisioning.Settings(2, Duration.ofMinutes(30), Duration.ofMinutes(10), Duration.ofMillis(100)));
        List.of(approval("a"), approval("b"), approval("c")).forEach(small::approved);

        // when
        drive(small);

        // then
        assertThat(stacks.batchSizes).containsExactly(2, 1);
        assertThat(inventory.rows.values()).allSatisfy(row -> assertThat(row.status()).isEqualTo(RowStatus.PROVISIONED));
    }

    @Test
    void aReplayedApprovalChangesNothing() {
        // given
        RequestApproved approved = approval("web-1");
        provisioning.approved(approved);
        drive();
        InventoryRow before = inventory.find(approved.requestId()).orElseThrow();
        int saves = inventory.saves;

        // when
        provisioning.approved(approved);
        drive();

        // then
        assertThat(inventory.find(approved.requestId())).contains(before);
        assertThat(inventory.saves).isEqualTo(saves);
        assertThat(stacks.pushes).isEqualTo(1);
        assertThat(builds.starts).isEqualTo(1);
        assertThat(events.published).hasSize(3);
    }

    @Test
    void aBuildStillRunningIsAskedAboutAgainOnLaterPasses() {
        // given
        builds.runningPolls = 3;
        RequestApproved approved = approval("web-1");
        provisioning.approved(approved);

        // when
        boolean firstPassMoved = provisioning.advance();
        RowStatus afterFirstPass = inventory.find(approved.requestId()).orElseThrow().status();
        drive();
        for (int pass = 0; pass < 3; pass++) {
            provisioning.advance();
        }

        // then
        assertThat(firstPassMoved).isTrue();
        assertThat(afterFirstPass).isEqualTo(RowStatus.BUILDING);
        assertThat(builds.polls).isEqualTo(4);
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
    }

    @Test
    void aFailedBuildIsRecordedRevertedAndAnnouncedWithItsPhase() {
        // given
        builds.outcome = new BuildStatus.Failed("apply", "Error: no capacity");
        RequestApproved approved = approval("web-1");

        // when
        provisioning.approved(approved);
        drive();

        // then
        InventoryRow row = inventory.find(approved.requestId()).orElseThrow();
        assertThat(row.status()).isEqualTo(RowStatus.FAILED);
        assertThat(row.failureReason()).isEqualTo("Error: no capacity");
        assertThat(row.failurePhase()).isEqualTo("apply");
        assertThat(row.outcomePublishedAt()).isNotNull();
        assertThat(stacks.reverts).containsExactly(approved.requestId() + "@commit-1");
        assertThat(events.types()).containsExactly(StackPushed.class, BuildStarted.class, ProvisioningFailed.class);
        ProvisioningFailed failed = (ProvisioningFailed) events.published.get(2);
        assertThat(failed.phase()).isEqualTo("apply");
        assertThat(failed.reason()).isEqualTo("Error: no capacity");
    }

    @Test
    void aPushThatFailsLeavesTheRowsApprovedAndAPassAfterTheBackoffPushesThem() {
        // given
        stacks.failures = 1;
        RequestApproved approved = approval("web-1");
        provisioning.approved(approved);

        // when
        drive();
        RowStatus afterFailure = inventory.find(approved.requestId()).orElseThrow().status();
        drive();
        int pushesBeforeBackoffEnded = stacks.pushes;
        clock.advance(Duration.ofSeconds(2));
        drive();

        // then
        assertThat(afterFailure).isEqualTo(RowStatus.APPROVED);
        assertThat(pushesBeforeBackoffEnded).isZero();
        assertThat(stacks.attempts).isEqualTo(2);
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(events.types()).containsExactly(StackPushed.class, BuildStarted.class, InstanceProvisioned.class);
    }

    @Test
    void aPushThatKeepsFailingFailsTheRequestAfterTheGiveUpTimeAndTellsTheRequester() {
        // given
        stacks.failures = Integer.MAX_VALUE;
        RequestApproved approved = approval("web-1");
        provisioning.approved(approved);
        drive();

        // when
        clock.advance(Duration.ofMinutes(31));
        drive();

        // then
        InventoryRow row = inventory.find(approved.requestId()).orElseThrow();
        assertThat(row.status()).isEqualTo(RowStatus.FAILED);
        assertThat(row.failurePhase()).isEqualTo(Provisioning.PHASE_PUSH);
        assertThat(row.failureReason()).contains("could not be pushed").contains("remote unreachable");
        assertThat(stacks.reverts).isEmpty();
        assertThat(events.types()).containsExactly(ProvisioningFailed.class);
        assertThat(((ProvisioningFailed) events.published.get(0)).phase()).isEqualTo("push");
    }

    @Test
    void aBuildThatNeverAppearsFailsTheRequestAfterTheAppearTimeout() {
        // given
        builds.appearAfterStarts = Integer.MAX_VALUE;
        RequestApproved approved = approval("web-1");
        provisioning.approved(approved);
        drive();
        RowStatus waiting = inventory.find(approved.requestId()).orElseThrow().status();

        // when
        clock.advance(Duration.ofMinutes(11));
        drive();

        // then
        assertThat(waiting).isEqualTo(RowStatus.PUSHED);
        InventoryRow row = inventory.find(approved.requestId()).orElseThrow();
        assertThat(row.status()).isEqualTo(RowStatus.FAILED);
        assertThat(row.failureReason()).contains("no local build of commit commit-1 appeared within 10 min");
        assertThat(stacks.reverts).containsExactly(approved.requestId() + "@commit-1");
        assertThat(events.types()).containsExactly(StackPushed.class, ProvisioningFailed.class);
    }

    @Test
    void aBuildThatAppearsLateIsPickedUp() {
        // given
        builds.appearAfterStarts = 2;
        RequestApproved approved = approval("web-1");
        provisioning.approved(approved);

        // when
        drive();
        provisioning.advance();
        provisioning.advance();
        drive();

        // then
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
    }

    @Test
    void aBuildServiceThatCannotBeReachedIsAskedAgainOnTheNextPass() {
        // given
        builds.statusFailures = 1;
        RequestApproved approved = approval("web-1");
        provisioning.approved(approved);

        // when
        drive();

        // then: the failed look left the row building; the next pass looked again
        assertThat(builds.statusFailures).isZero();
        assertThat(builds.polls).isEqualTo(1);
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(events.types()).containsExactly(StackPushed.class, BuildStarted.class, InstanceProvisioned.class);
    }

    @Test
    void aLostProgressEventDoesNotStopTheRequest() {
        // given
        events.failOn = StackPushed.class;
        RequestApproved approved = approval("web-1");

        // when
        provisioning.approved(approved);
        drive();

        // then
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(events.types()).containsExactly(BuildStarted.class, InstanceProvisioned.class);
    }

    @Test
    void anOutcomeTheBrokerDidNotTakeIsPublishedOnALaterPassWithoutBuildingAgain() {
        // given
        events.failOn = InstanceProvisioned.class;
        RequestApproved approved = approval("web-1");
        provisioning.approved(approved);
        drive();
        InventoryRow recorded = inventory.find(approved.requestId()).orElseThrow();

        // when
        events.failOn = null;
        drive();

        // then
        assertThat(recorded.status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(recorded.outcomePublishedAt()).isNull();
        assertThat(inventory.find(approved.requestId()).orElseThrow().outcomePublishedAt()).isNotNull();
        assertThat(builds.polls).isEqualTo(1);
        assertThat(stacks.pushes).isEqualTo(1);
        assertThat(events.types()).containsExactly(StackPushed.class, BuildStarted.class, InstanceProvisioned.class);
    }

    @Test
    void aRestartResumesARowLeftBuildingWithoutPushingOrStartingAgain() {
        // given: the row a crash left behind
        RequestApproved approved = approval("web-1");
        inventory.save(InventoryRow.approved(approved.requestId(), approved.request(), "alice", Fixtures.T0)
                .pushed("commit-7", Fixtures.T0).building("build-7", Fixtures.T0));

        // when: a new instance starts on the same inventory, with no approval redelivered
        drive(provisioning());

        // then
        assertThat(builds.starts).isZero();
        assertThat(builds.lastPolled).isEqualTo("build-7");
        assertThat(stacks.pushes).isZero();
        assertThat(events.types()).containsExactly(InstanceProvisioned.class);
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
    }

    @Test
    void aRestartResumesARowLeftPushedByStartingItsBuild() {
        // given
        RequestApproved approved = approval("web-1");
        inventory.save(InventoryRow.approved(approved.requestId(), approved.request(), "alice", Fixtures.T0)
                .pushed("commit-7", Fixtures.T0));

        // when
        drive(provisioning());

        // then
        assertThat(stacks.pushes).isZero();
        assertThat(builds.starts).isEqualTo(1);
        assertThat(events.types()).containsExactly(BuildStarted.class, InstanceProvisioned.class);
    }

    @Test
    void aCrashBetweenPushAndRecordIsResumedByPushingTheSameStacksAgain() {
        // given: the process dies right after the push, before the rows say so
        RequestApproved approved = approval("web-1");
        Provisioning crashing = new Provisioning(inventory, new TfvarsWriter(), stacks, builds, events, clock,
                SETTINGS, point -> {
                    if (point.equals(Checkpoint.PUSHED)) {
                        throw new IllegalStateException("killed at " + point);
                    }
                });
        crashing.approved(approved);
        assertThatThrownBy(crashing::advance).hasMessage("killed at pushed");
        RowStatus afterCrash = inventory.find(approved.requestId()).orElseThrow().status();

        // when: the restarted service resumes
        drive(provisioning());

        // then: the same files are pushed again (the real repository makes no second commit for them)
        assertThat(afterCrash).isEqualTo(RowStatus.APPROVED);
        assertThat(stacks.attempts).isEqualTo(2);
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(events.types()).containsExactly(StackPushed.class, BuildStarted.class, InstanceProvisioned.class);
    }

    @Test
    void aCrashBetweenBuildAndRecordIsResumedByAskingTheBuildAgain() {
        // given: the build ended, the process dies before the row says so
        RequestApproved approved = approval("web-1");
        Provisioning crashing = new Provisioning(inventory, new TfvarsWriter(), stacks, builds, events, clock,
                SETTINGS, point -> {
                    if (point.equals(Checkpoint.BUILT)) {
                        throw new IllegalStateException("killed at " + point);
                    }
                });
        crashing.approved(approved);
        assertThatThrownBy(() -> drive(crashing)).hasMessage("killed at built");
        RowStatus afterCrash = inventory.find(approved.requestId()).orElseThrow().status();

        // when
        drive(provisioning());

        // then
        assertThat(afterCrash).isEqualTo(RowStatus.BUILDING);
        assertThat(builds.starts).isEqualTo(1);
        assertThat(builds.polls).isEqualTo(2);
        assertThat(inventory.find(approved.requestId()).orElseThrow().status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(events.types()).containsExactly(StackPushed.class, BuildStarted.class, InstanceProvisioned.class);
    }

    @Test
    void aFailureWhoseOutcomeWasNotPublishedIsRevertedAgainAndPublished() {
        // given
        RequestApproved approved = approval("web-1");
        inventory.save(InventoryRow.approved(approved.requestId(), approved.request(), "alice", Fixtures.T0)
                .pushed("commit-7", Fixtures.T0).building("build-7", Fixtures.T0)
                .failed("apply", "Error: x", Fixtures.T0));

        // when
        drive(provisioning());

        // then
        assertThat(builds.polls).isZero();
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
        drive();
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
        public synchronized Optional<InventoryRow> find(String requestId) {
            return Optional.ofNullable(rows.get(requestId));
        }

        @Override
        public synchronized void saveAll(Collection<InventoryRow> changed) {
            saves++;
            changed.forEach(row -> rows.put(row.requestId(), row));
        }

        @Override
        public synchronized List<InventoryRow> all() {
            return List.copyOf(rows.values());
        }

        @Override
        public synchronized List<InventoryRow> unfinished() {
            return rows.values().stream().filter(InventoryRow::unfinished).toList();
        }

        @Override
        public synchronized int size() {
            return rows.size();
        }
    }

    static final class FakeStacks implements StackStore {
        final Map<String, Map<String, byte[]>> files = new LinkedHashMap<>();
        final List<String> reverts = new ArrayList<>();
        final List<Integer> batchSizes = new ArrayList<>();
        int pushes;
        int attempts;
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
        public synchronized Map<String, String> pushStacks(Map<String, Map<String, byte[]>> stacks, String message) {
            attempts++;
            if (failures > 0) {
                failures--;
                throw new StackPushException("remote unreachable", null);
            }
            pushes++;
            batchSizes.add(stacks.size());
            Map<String, String> commits = new LinkedHashMap<>();
            stacks.forEach((requestId, stackFiles) -> {
                files.put(requestId, stackFiles);
                commits.put(requestId, "commit-" + pushes);
            });
            return commits;
        }

        @Override
        public synchronized void revertStack(String requestId, String commitId) {
            reverts.add(requestId + "@" + commitId);
        }
    }

    static final class FakeBuilds implements BuildSystem {
        BuildStatus outcome = new BuildStatus.Succeeded(new InstanceOutputs(Fixtures.ec2Outputs("i-0123456789abcdef0")));
        final List<String> products = new ArrayList<>();
        int runningPolls;
        int appearAfterStarts;
        int statusFailures;
        int starts;
        int polls;
        String lastPolled;
        private final Deque<String> started = new ArrayDeque<>();

        @Override
        public String mode() {
            return "local";
        }

        @Override
        public boolean simulated() {
            return true;
        }

        @Override
        public synchronized Optional<String> start(String requestId, String commitId, Product product) {
            starts++;
            products.add(product.name());
            if (appearAfterStarts > 0) {
                appearAfterStarts--;
                return Optional.empty();
            }
            started.push(requestId);
            return Optional.of("build-" + started.size());
        }

        @Override
        public synchronized BuildStatus status(String requestId, String commitId, String buildId, Product product) {
            if (statusFailures > 0) {
                statusFailures--;
                throw new IllegalStateException("build service unreachable");
            }
            polls++;
            lastPolled = buildId;
            if (runningPolls > 0) {
                runningPolls--;
                return BuildStatus.RUNNING;
            }
            return outcome;
        }
    }

    static final class RecordingEvents implements EventSink {
        final List<RequestEvent> published = new CopyOnWriteArrayList<>();
        Class<? extends RequestEvent> failOn;
        /** When set, publishing an event of this type waits until {@link #release} opens. */
        volatile Class<? extends RequestEvent> holdOn;
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void publish(RequestEvent event) {
            if (event.getClass() == failOn) {
                throw new IllegalStateException("broker down");
            }
            if (event.getClass() == holdOn) {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while held", e);
                }
            }
            published.add(event);
        }

        List<Class<?>> types() {
            return published.stream().<Class<?>>map(Object::getClass).toList();
        }
    }
}
