package com.oneclick.approval.queue;

import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The approvers' queue: every submitted request with its decision, if any. Rebuilt from the topics
 * (oneclick.requested, .approved, .rejected) on each start, so it is held in memory.
 *
 * <p>Rules: a request is decided once, and a decision wins over everything read later. A
 * submission for a request the queue knows changes nothing (a replay never reopens a decided
 * request), and a decision for a request already decided changes nothing. Each request has its own
 * lock; deciding holds it while the decision is published, so of two concurrent decisions exactly
 * one is published and the other finds the request decided.
 */
public final class ApprovalQueue {

    private static final Comparator<Approval> OLDEST_FIRST =
            Comparator.comparing(Approval::queuedAt).thenComparing(Approval::requestId);

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    /** Folds an event read from the topics into the queue. Other event types are ignored. */
    public void apply(RequestEvent event) {
        if (event instanceof RequestSubmitted submitted) {
            submitted(submitted);
        } else if (event instanceof RequestApproved approved) {
            decided(Approval.approved(approved.requestId(), null, approved.request(), approved.approvedBy(),
                    approved.occurredAt(), approved.comment()));
        } else if (event instanceof RequestRejected rejected) {
            decided(Approval.rejected(rejected.requestId(), null, rejected.request(), rejected.rejectedBy(),
                    rejected.occurredAt(), rejected.reason()));
        }
    }

    public Optional<Approval> find(String requestId) {
        Slot slot = slots.get(requestId);
        return slot == null ? Optional.empty() : Optional.of(slot.current);
    }

    /** Every request, or those with the given status, oldest first. */
    public List<Approval> list(Optional<ApprovalStatus> status) {
        return slots.values().stream()
                .map(slot -> slot.current)
                .filter(approval -> status.map(s -> approval.status() == s).orElse(true))
                .sorted(OLDEST_FIRST)
                .toList();
    }

    /**
     * Decides a pending request: under the request's lock, {@code decision} turns the pending item
     * into the decided one (publishing the decision on its way); the queue records the result only
     * when {@code decision} returns. If it throws, the request stays pending.
     */
    Approval decide(String requestId, UnaryOperator<Approval> decision) {
        Slot slot = slots.get(requestId);
        if (slot == null) {
            throw new UnknownRequestException(requestId);
        }
        slot.lock.lock();
        try {
            Approval current = slot.current;
            if (!current.awaitsDecision()) {
                throw new AlreadyDecidedException(current);
            }
            Approval decided = decision.apply(current);
            slot.current = decided;
            return decided;
        } finally {
            slot.lock.unlock();
        }
    }

    private void submitted(RequestSubmitted event) {
        Slot slot = slots.computeIfAbsent(event.requestId(),
                id -> new Slot(Approval.pending(id, event.occurredAt(), event.request())));
        slot.lock.lock();
        try {
            if (slot.current.submittedAt() == null) {
                // The decision was read first; only the submission time was missing.
                slot.current = slot.current.withSubmittedAt(event.occurredAt());
            }
        } finally {
            slot.lock.unlock();
        }
    }

    private void decided(Approval decision) {
        Slot slot = slots.computeIfAbsent(decision.requestId(), id -> new Slot(decision));
        slot.lock.lock();
        try {
            if (slot.current.awaitsDecision()) {
                slot.current = decision.withSubmittedAt(slot.current.submittedAt());
            }
        } finally {
            slot.lock.unlock();
        }
    }

    /** One request's place in the queue. {@code current} is replaced only under {@code lock}. */
    private static final class Slot {

        private final ReentrantLock lock = new ReentrantLock();
        private volatile Approval current;

        Slot(Approval initial) {
            this.current = initial;
        }
    }
}
