package com.oneclick.approval.queue;

import com.oneclick.approval.ApprovalProperties.Match;
import com.oneclick.approval.ApprovalProperties.Policy;
import com.oneclick.testsupport.MutableClock;
import com.oneclick.approval.Requests;
import com.oneclick.approval.policy.ApprovalPolicies;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.oneclick.approval.queue.HistoryEntry.Step.APPROVAL;
import static com.oneclick.approval.queue.HistoryEntry.Step.APPROVED;
import static com.oneclick.approval.queue.HistoryEntry.Step.AWAITING_APPROVAL;
import static com.oneclick.approval.queue.HistoryEntry.Step.REJECTED;
import static com.oneclick.approval.queue.HistoryEntry.Step.SUBMITTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routing by policy, the two-approver rule and expiry, on the use case with a recording publisher. */
class PolicyAndExpiryTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final String SANDBOX = "vpc-0a1b2c3d";
    private static final String OTHER_VPC = "vpc-0f0f0f0f";
    private static final Approver ALICE = new Approver("alice", "alice@example.com");
    private static final Approver BOB = new Approver("bob", "bob@example.com");
    private static final Approver CAROL = new Approver("carol", "carol@example.com");

    private final MutableClock clock = new MutableClock(T0);
    private final ApprovalQueue queue = new ApprovalQueue();
    private final List<RequestEvent> published = Collections.synchronizedList(new ArrayList<>());
    private final ReplayProgress replay = new ReplayProgress();
    private final Decisions decisions = new Decisions(queue, published::add, replay,
            ApprovalPolicies.from(List.of(
                    new Policy("sandbox-t3", new Match(null, List.of("t3.*"), List.of(SANDBOX), null, null, null),
                            "auto-approve", null),
                    new Policy("big-instances", new Match(null, null, null, null, 4, null), "require-approvals", 2))),
            new ApproverDirectory(Map.of("alice", ALICE.email(), "bob", BOB.email(), "carol", CAROL.email()),
                    List.of("platform-approvers@example.com")),
            clock, new Decisions.Settings(Duration.ofHours(72), Duration.ofSeconds(30)));

    @Test
    void autoApprovalPolicyApprovesInTheNameOfThePolicyOnce() {
        // given
        replay.expect(Map.of());
        String id = submitted(Requests.of("sandbox", "dev@example.com", "t3.micro", SANDBOX));

        // when
        decisions.route(id);
        decisions.route(id);
        decisions.routeWaiting();

        // then
        assertThat(published).singleElement().isInstanceOfSatisfying(RequestApproved.class, event -> {
            assertThat(event.approvedBy()).isEqualTo("policy:sandbox-t3");
            assertThat(event.policy()).isEqualTo("sandbox-t3");
            assertThat(event.approvers()).containsExactly("policy:sandbox-t3");
        });
        Approval approval = queue.find(id).orElseThrow();
        assertThat(approval.status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(approval.decidedBy()).isEqualTo("policy:sandbox-t3");
        assertThat(approval.history()).extracting(HistoryEntry::step).containsExactly(SUBMITTED, APPROVED);
    }

    @Test
    void aRequestForPeopleAsksEveryApproverButTheRequester() {
        // given
        replay.expect(Map.of());
        String id = submitted(Requests.of("by-bob", "Bob@Example.com", "m6i.large", SANDBOX));

        // when
        decisions.route(id);

        // then
        assertThat(published).singleElement().isInstanceOfSatisfying(ApprovalRequested.class, event -> {
            assertThat(event.approverEmails()).containsExactly("alice@example.com", "carol@example.com",
                    "platform-approvers@example.com");
            assertThat(event.requiredApprovals()).isEqualTo(1);
            assertThat(event.approvedBy()).isEmpty();
            assertThat(event.policy()).isNull();
        });
        assertThat(queue.find(id).orElseThrow().history()).extracting(HistoryEntry::step)
                .containsExactly(SUBMITTED, AWAITING_APPROVAL);
    }

    @Test
    void nothingIsHandedOnOrExpiredBeforeTheQueueHasReadTheTopics() {
        // given
        String id = submitted(Requests.of("early", "dev@example.com", "t3.micro", SANDBOX));
        clock.advance(Duration.ofDays(10));

        // when
        decisions.route(id);
        decisions.expireOverdue();

        // then
        assertThat(published).isEmpty();
        assertThat(replay.expect(Map.of())).isTrue();
        assertThat(decisions.expireOverdue()).hasSize(1);
    }

    @Test
    void twoApproverPolicyNeedsTwoDistinctApproversAndNeverTheRequester() {
        // given a 4-vCPU request outside the sandbox, asked of the approvers
        replay.expect(Map.of());
        String id = submitted(Requests.of("big", CAROL.email(), "m6i.xlarge", OTHER_VPC));
        decisions.route(id);

        // when alice approves first
        Approval first = decisions.approve(id, ALICE, "fine by me");

        // then it is recorded durably as a partial approval and the others are asked again
        assertThat(first.status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(first.approvedBy()).containsExactly("alice");
        assertThat(first.requiredApprovals()).isEqualTo(2);
        assertThat(published).hasSize(2).last().isInstanceOfSatisfying(ApprovalRequested.class, event -> {
            assertThat(event.approvedBy()).containsExactly("alice");
            assertThat(event.requiredApprovals()).isEqualTo(2);
            assertThat(event.policy()).isEqualTo("big-instances");
            assertThat(event.approverEmails()).containsExactly("bob@example.com", "platform-approvers@example.com");
        });

        // when alice tries again, and the requester carol tries
        assertThatThrownBy(() -> decisions.approve(id, ALICE, null)).isInstanceOf(AlreadyApprovedException.class);
        assertThatThrownBy(() -> decisions.approve(id, CAROL, null)).isInstanceOf(SelfApprovalException.class);
        assertThat(published).hasSize(2);

        // when bob approves
        Approval approved = decisions.approve(id, BOB, "ok");

        // then
        assertThat(approved.status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(published).hasSize(3).last().isInstanceOfSatisfying(RequestApproved.class, event -> {
            assertThat(event.approvedBy()).isEqualTo("bob");
            assertThat(event.approvers()).containsExactly("alice", "bob");
            assertThat(event.policy()).isEqualTo("big-instances");
            assertThat(event.comment()).isEqualTo("ok");
        });
        assertThat(approved.history()).extracting(HistoryEntry::step)
                .containsExactly(SUBMITTED, AWAITING_APPROVAL, APPROVAL, AWAITING_APPROVAL, APPROVED);
        assertThat(approved.history().get(2).comment()).isEqualTo("fine by me");
    }

    @Test
    void theEventsRebuildTheSameStateInAnyOrder() {
        // given a two-approver request decided here
        replay.expect(Map.of());
        String id = submitted(Requests.of("big", "dev@example.com", "m6i.2xlarge", OTHER_VPC));
        decisions.route(id);
        decisions.approve(id, ALICE, null);
        decisions.approve(id, BOB, null);
        Approval live = queue.find(id).orElseThrow();
        List<RequestEvent> events = new ArrayList<>(published);
        events.add(0, submission(id));

        // when a fresh queue folds the events, decisions first, and twice
        ApprovalQueue rebuilt = new ApprovalQueue();
        List<RequestEvent> reversed = new ArrayList<>(events);
        Collections.reverse(reversed);
        reversed.forEach(rebuilt::apply);
        events.forEach(rebuilt::apply);

        // then
        Approval again = rebuilt.find(id).orElseThrow();
        assertThat(again.status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(again.approvedBy()).containsExactly("alice", "bob");
        assertThat(again.decidedBy()).isEqualTo("bob");
        assertThat(again.policy()).isEqualTo("big-instances");
        assertThat(again.history()).extracting(HistoryEntry::step).isEqualTo(live.history().stream()
                .map(HistoryEntry::step).toList());
    }

    @Test
    void partialApprovalSurvivesARebuildAndStillNeedsAnotherApprover() {
        // given
        replay.expect(Map.of());
        String id = submitted(Requests.of("big", "dev@example.com", "m6i.2xlarge", OTHER_VPC));
        decisions.route(id);
        decisions.approve(id, ALICE, null);

        // when the queue is rebuilt from the events
        ApprovalQueue rebuilt = new ApprovalQueue();
        rebuilt.apply(submission(id));
        published.forEach(rebuilt::apply);
        List<RequestEvent> before = List.copyOf(published);
        ReplayProgress caughtUp = new ReplayProgress();
        caughtUp.expect(Map.of());
        Decisions restarted = new Decisions(rebuilt, published::add, caughtUp, ApprovalPolicies.none(),
                new ApproverDirectory(Map.of(), List.of()), clock, Decisions.Settings.DEFAULTS);

        // then the requirement recorded at submission still holds, and alice cannot approve again
        assertThat(rebuilt.find(id).orElseThrow().approvedBy()).containsExactly("alice");
        assertThat(restarted.routeWaiting()).isZero();
        assertThatThrownBy(() -> restarted.approve(id, ALICE, null)).isInstanceOf(AlreadyApprovedException.class);
        assertThat(restarted.approve(id, BOB, null).status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(published).hasSize(before.size() + 1);
    }

    @Test
    void aRequestWaitingLongerThanConfiguredIsRejectedByTheExpiryPolicyOnce() {
        // given one pending, one decided, one younger request
        replay.expect(Map.of());
        String waiting = submitted(Requests.of("old", "dev@example.com", "m6i.large", OTHER_VPC));
        String decided = submitted(Requests.of("decided", "dev@example.com", "m6i.large", OTHER_VPC));
        decisions.approve(decided, ALICE, null);
        clock.advance(Duration.ofHours(1));
        String young = submitted(Requests.of("young", "dev@example.com", "m6i.large", OTHER_VPC));
        published.clear();

        // when
        clock.advance(Duration.ofHours(71).minusSeconds(1));
        List<Approval> tooEarly = decisions.expireOverdue();
        clock.advance(Duration.ofSeconds(1));
        List<Approval> expired = decisions.expireOverdue();
        List<Approval> again = decisions.expireOverdue();

        // then
        assertThat(tooEarly).isEmpty();
        assertThat(expired).extracting(Approval::requestId).containsExactly(waiting);
        assertThat(again).isEmpty();
        assertThat(published).singleElement().isInstanceOfSatisfying(RequestRejected.class, event -> {
            assertThat(event.requestId()).isEqualTo(waiting);
            assertThat(event.rejectedBy()).isEqualTo("policy:expiry");
            assertThat(event.reason()).isEqualTo("expired");
            assertThat(event.policy()).isEqualTo("expiry");
        });
        assertThat(queue.find(waiting).orElseThrow().history()).last().satisfies(entry -> {
            assertThat(entry.step()).isEqualTo(REJECTED);
            assertThat(entry.by()).isEqualTo("policy:expiry");
        });
        assertThat(queue.find(decided).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(queue.find(young).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
        assertThatThrownBy(() -> decisions.approve(waiting, ALICE, null)).isInstanceOf(AlreadyDecidedException.class);
    }

    @Test
    void anApproverWithoutEmailCannotApprove() {
        replay.expect(Map.of());
        String id = submitted(Requests.of("x", "dev@example.com", "m6i.large", OTHER_VPC));

        assertThatThrownBy(() -> decisions.approve(id, new Approver("nomail", null), null))
                .isInstanceOf(NoEmailException.class);
        assertThat(published).isEmpty();
    }

    private final Map<String, RequestSubmitted> submissions = new java.util.HashMap<>();

    private String submitted(InstanceRequest request) {
        String id = RequestIds.newId();
        RequestSubmitted event = new RequestSubmitted(UUID.randomUUID(), id, clock.instant(), 1, request);
        submissions.put(id, event);
        queue.apply(event);
        return id;
    }

    private RequestSubmitted submission(String id) {
        return submissions.get(id);
    }
}
