package com.oneclick.approval.queue;

import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.validation.FieldViolation;

import java.util.List;
import java.util.Objects;

/**
 * The use case of an approver deciding a request. The order of checks: the text (400), the queue
 * has finished rebuilding itself from the topics (503), the request exists (404), it is still
 * pending (409), the approver did not submit it (403). The decision is
 * published while the request's lock is held and recorded only after the event bus acknowledged
 * it; if publishing fails the exception propagates and the request stays pending.
 */
public final class Decisions {

    private final ApprovalQueue queue;
    private final DecisionPublisher publisher;
    private final ReplayProgress replay;

    public Decisions(ApprovalQueue queue, DecisionPublisher publisher, ReplayProgress replay) {
        this.queue = Objects.requireNonNull(queue);
        this.publisher = Objects.requireNonNull(publisher);
        this.replay = Objects.requireNonNull(replay);
    }

    public Approval approve(String requestId, Approver approver, String comment) {
        String text = DecisionText.normalize(comment);
        failOn(DecisionText.checkComment(text));
        requireCaughtUp();
        return queue.decide(requestId, pending -> {
            if (approver.submitted(pending.request())) {
                throw new SelfApprovalException(requestId);
            }
            RequestApproved event = RequestApproved.of(requestId, approver.username(), text, pending.request());
            publisher.publish(event);
            return Approval.approved(requestId, pending.submittedAt(), pending.request(), approver.username(),
                    event.occurredAt(), text);
        });
    }

    /** Rejecting one's own request is allowed: it withdraws it. */
    public Approval reject(String requestId, Approver approver, String reason) {
        String text = DecisionText.normalize(reason);
        failOn(DecisionText.checkReason(text));
        requireCaughtUp();
        return queue.decide(requestId, pending -> {
            RequestRejected event = RequestRejected.of(requestId, approver.username(), text, pending.request());
            publisher.publish(event);
            return Approval.rejected(requestId, pending.submittedAt(), pending.request(), approver.username(),
                    event.occurredAt(), text);
        });
    }

    private void requireCaughtUp() {
        if (!replay.caughtUp()) {
            throw new QueueNotReadyException(replay.partitionsRemaining());
        }
    }

    private static void failOn(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new InvalidDecisionException(violations);
        }
    }
}
