package com.oneclick.approval.queue;

import com.oneclick.testsupport.MutableClock;
import com.oneclick.approval.Requests;
import com.oneclick.approval.policy.ApprovalPolicies;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.validation.FieldViolation;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionsTest {

    private static final Approver ALICE = new Approver("alice", "alice@example.com");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final ApprovalQueue queue = new ApprovalQueue();
    private final List<RequestEvent> published = Collections.synchronizedList(new ArrayList<>());
    private final ReplayProgress caughtUp = caughtUp();
    private final Decisions decisions = decisions(queue, published::add, caughtUp);

    @Test
    void approvalIsPublishedWithTheApproverAndRecorded() {
        // given
        String id = pending(Requests.valid("agent"));

        // when
        Approval approval = decisions.approve(id, ALICE, "  fine\r\nby me  ");

        // then
        assertThat(approval.status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(approval.decidedBy()).isEqualTo("alice");
        assertThat(approval.comment()).isEqualTo("fine\nby me");
        assertThat(published).singleElement().isInstanceOfSatisfying(RequestApproved.class, event -> {
            assertThat(event.requestId()).isEqualTo(id);
            assertThat(event.approvedBy()).isEqualTo("alice");
            assertThat(event.comment()).isEqualTo("fine\nby me");
            assertThat(event.request()).isEqualTo(Requests.valid("agent"));
            assertThat(approval.decidedAt()).isEqualTo(event.occurredAt());
        });
        assertThat(queue.find(id).orElseThrow()).isEqualTo(approval);
    }

    @Test
    void rejectionNeedsAReasonAndPublishesIt() {
        // given
        String id = pending(Requests.valid("agent"));

        // when / then
        assertThatThrownBy(() -> decisions.reject(id, ALICE, "   "))
                .isInstanceOfSatisfying(InvalidDecisionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("reason"));
        Approval rejected = decisions.reject(id, ALICE, "use t3.small");
        assertThat(rejected.status()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(published).singleElement().isInstanceOfSatisfying(RequestRejected.class, event -> {
            assertThat(event.rejectedBy()).isEqualTo("alice");
            assertThat(event.reason()).isEqualTo("use t3.small");
        });
    }

    @Test
    void secondDecisionIsAConflictAndPublishesNothing() {
        // given
        String id = pending(Requests.valid("agent"));
        decisions.approve(id, ALICE, null);

        // when / then
        assertThatThrownBy(() -> decisions.approve(id, ALICE, null)).isInstanceOf(AlreadyDecidedException.class);
        assertThatThrownBy(() -> decisions.reject(id, ALICE, "changed my mind"))
                .isInstanceOf(AlreadyDecidedException.class);
        assertThat(published).hasSize(1);
    }

    @Test
    void decisionsWaitUntilTheQueueHasReadTheTopicsToTheirEnd() {
        // given a queue that has read a submission but not yet the rest of the topic
        String id = pending(Requests.valid("agent"));
        ReplayProgress replay = new ReplayProgress();
        Decisions early = decisions(queue, published::add, replay);

        // when / then
        assertThatThrownBy(() -> early.approve(id, ALICE, null)).isInstanceOf(QueueNotReadyException.class);
        assertThat(replay.expect(Map.of(ReplayProgress.partition("oneclick.approved", 0), 3L))).isFalse();
        assertThatThrownBy(() -> early.approve(id, ALICE, null)).isInstanceOf(QueueNotReadyException.class);
        assertThat(published).isEmpty();
        assertThat(replay.consumed("oneclick.approved", 0, 1)).isFalse();
        assertThat(replay.consumed("oneclick.approved", 0, 2)).isTrue();
        assertThat(early.approve(id, ALICE, null).status()).isEqualTo(ApprovalStatus.APPROVED);
    }

    @Test
    void unknownRequestCannotBeDecided() {
        assertThatThrownBy(() -> decisions.approve(RequestIds.newId(), ALICE, null))
                .isInstanceOf(UnknownRequestException.class);
    }

    @Test
    void failedPublishLeavesTheRequestPending() {
        // given
        String id = pending(Requests.valid("agent"));
        Decisions failing = decisions(queue, event -> {
            throw new IllegalStateException("broker down");
        }, caughtUp);

        // when
        assertThatThrownBy(() -> failing.approve(id, ALICE, null)).hasMessage("broker down");

        // then the request stays pending; while the failed event might still reach the topic nobody
        // may decide it, afterwards anyone may
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
        assertThatThrownBy(() -> decisions.reject(id, ALICE, "no")).isInstanceOf(DecisionInDoubtException.class);
        clock.advance(Decisions.Settings.DEFAULTS.doubtWindow());
        assertThat(decisions.approve(id, ALICE, null).status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(published).singleElement().isInstanceOf(RequestApproved.class);
    }

    @Test
    void approverCannotApproveTheirOwnRequestButMayWithdrawIt() {
        // given
        String id = pending(Requests.byRequester("agent", "Alice@Example.com"));

        // when / then
        assertThatThrownBy(() -> decisions.approve(id, ALICE, null)).isInstanceOf(SelfApprovalException.class);
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(published).isEmpty();
        assertThat(decisions.reject(id, ALICE, "withdrawn").status()).isEqualTo(ApprovalStatus.REJECTED);
    }

    @Test
    void commentAndReasonRules() {
        // given
        String id = pending(Requests.valid("agent"));

        // when / then
        assertThatThrownBy(() -> decisions.approve(id, ALICE, "x".repeat(1001)))
                .isInstanceOf(InvalidDecisionException.class);
        assertThatThrownBy(() -> decisions.approve(id, ALICE, "ok\u0007"))
                .isInstanceOf(InvalidDecisionException.class);
        assertThatThrownBy(() -> decisions.reject(id, ALICE, "no\u0085"))
                .isInstanceOf(InvalidDecisionException.class);
        assertThat(decisions.approve(id, ALICE, "x".repeat(1000) + "\n").comment()).hasSize(1000);
    }

    @Test
    void ofTwoConcurrentDecisionsExactlyOneIsPublished() throws Exception {
        // given a publisher that, on the first decision, gives a second decision a full second to
        // slip past (without the per-request lock it would publish meanwhile)
        String id = pending(Requests.valid("agent"));
        CountDownLatch firstPublishing = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        Decisions slow = decisions(queue, event -> {
            if (firstPublishing.getCount() > 0) {
                firstPublishing.countDown();
                awaitQuietly(secondDone, 1);
            }
            published.add(event);
        }, caughtUp);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // when
            Future<Approval> first = threads.submit(() -> slow.approve(id, ALICE, null));
            assertThat(firstPublishing.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Approval> second = threads.submit(() -> {
                try {
                    return slow.reject(id, ALICE, "too late");
                } finally {
                    secondDone.countDown();
                }
            });

            // then
            assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(ApprovalStatus.APPROVED);
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(AlreadyDecidedException.class);
            assertThat(published).singleElement().isInstanceOf(RequestApproved.class);
        } finally {
            threads.shutdownNow();
        }
    }

    private Decisions decisions(ApprovalQueue queue, DecisionPublisher publisher, ReplayProgress replay) {
        return new Decisions(queue, publisher, replay, ApprovalPolicies.none(),
                new ApproverDirectory(Map.of("alice", "alice@example.com"), List.of()), clock, Decisions.Settings.DEFAULTS);
    }

    private static ReplayProgress caughtUp() {
        ReplayProgress replay = new ReplayProgress();
        replay.expect(Map.of());
        return replay;
    }

    private String pending(InstanceRequest request) {
        String id = RequestIds.newId();
        queue.apply(RequestSubmitted.of(id, request));
        return id;
    }

    private static void awaitQuietly(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
