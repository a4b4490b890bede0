package com.oneclick.approval.queue;

import com.oneclick.approval.Requests;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ApprovalQueueTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final InstanceRequest REQUEST = Requests.valid("agent");

    private final ApprovalQueue queue = new ApprovalQueue();

    @Test
    void submittedRequestIsPendingWithItsSubmissionTime() {
        // given
        String id = RequestIds.newId();

        // when
        queue.apply(submitted(id, 0));

        // then
        Approval approval = queue.find(id).orElseThrow();
        assertThat(approval.status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(approval.submittedAt()).isEqualTo(T0);
        assertThat(approval.request()).isEqualTo(REQUEST);
        assertThat(approval.decidedBy()).isNull();
    }

    @Test
    void replayedSubmissionNeverReopensADecidedRequest() {
        // given
        String id = RequestIds.newId();
        RequestSubmitted submission = submitted(id, 0);
        queue.apply(submission);
        queue.apply(approved(id, 5));

        // when
        queue.apply(submission);
        queue.apply(submitted(id, 9));

        // then
        Approval approval = queue.find(id).orElseThrow();
        assertThat(approval.status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(approval.submittedAt()).isEqualTo(T0);
        assertThat(approval.decidedBy()).isEqualTo("alice");
    }

    @Test
    void decisionReadBeforeItsSubmissionWinsAndGetsTheSubmissionTime() {
        // given
        String id = RequestIds.newId();
        queue.apply(rejected(id, 5));

        // when
        queue.apply(submitted(id, 0));

        // then
        Approval approval = queue.find(id).orElseThrow();
        assertThat(approval.status()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(approval.reason()).isEqualTo("too big");
        assertThat(approval.submittedAt()).isEqualTo(T0);
    }

    @Test
    void firstDecisionReadWinsOverALaterOne() {
        // given
        String id = RequestIds.newId();
        queue.apply(submitted(id, 0));
        queue.apply(approved(id, 5));

        // when
        queue.apply(rejected(id, 6));

        // then
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
    }

    @Test
    void listsOldestFirstAndFiltersByStatus() {
        // given
        String newer = RequestIds.newId();
        String older = RequestIds.newId();
        String decided = RequestIds.newId();
        queue.apply(submitted(newer, 2));
        queue.apply(submitted(older, 1));
        queue.apply(submitted(decided, 0));
        queue.apply(approved(decided, 3));

        // when / then
        assertThat(queue.list(Optional.empty())).extracting(Approval::requestId)
                .containsExactly(decided, older, newer);
        assertThat(queue.list(Optional.of(ApprovalStatus.PENDING))).extracting(Approval::requestId)
                .containsExactly(older, newer);
        assertThat(queue.list(Optional.of(ApprovalStatus.APPROVED))).extracting(Approval::requestId)
                .containsExactly(decided);
        assertThat(queue.list(Optional.of(ApprovalStatus.REJECTED))).isEmpty();
    }

    private static RequestSubmitted submitted(String id, int second) {
        return new RequestSubmitted(UUID.randomUUID(), id, T0.plusSeconds(second), 1, REQUEST);
    }

    private static RequestApproved approved(String id, int second) {
        return new RequestApproved(UUID.randomUUID(), id, T0.plusSeconds(second), 1, "alice", null, null, null, REQUEST);
    }

    private static RequestRejected rejected(String id, int second) {
        return new RequestRejected(UUID.randomUUID(), id, T0.plusSeconds(second), 1, "alice", "too big", null, REQUEST);
    }
}
