package com.oneclick.approval.queue;

import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The approvers' queue: every submitted request with its approvals, decision and history. Rebuilt
 * from the topics (oneclick.requested, .awaiting-approval, .approved, .rejected) on each start, so
 * it is held in memory.
 *
 * <p>Each request has its own lock ({@link Case}); a decision holds it while its event is
 * published and folds the event only after the broker acknowledged it, so of two concurrent
 * decisions exactly one is published and the other finds the request decided.
 */
public final class ApprovalQueue {

    private static final Comparator<Approval> OLDEST_FIRST =
            Comparator.comparing(Approval::queuedAt).thenComparing(Approval::requestId);

    private final Map<String, Case> cases = new ConcurrentHashMap<>();

    /** Folds an event read from the topics into the queue. Other event types are ignored. */
    public void apply(RequestEvent event) {
        if (!(event instanceof RequestSubmitted || event instanceof ApprovalRequested
                || event instanceof RequestApproved || event instanceof RequestRejected)) {
            return;
        }
        Case found = cases.computeIfAbsent(event.requestId(), Case::new);
        found.lock.lock();
        try {
            found.fold(event);
        } finally {
            found.lock.unlock();
        }
    }

    public Optional<Approval> find(String requestId) {
        Case found = cases.get(requestId);
        return found == null ? Optional.empty() : Optional.of(found.approval());
    }

    /** Every request, or those with the given status, oldest first. */
    public List<Approval> list(Optional<ApprovalStatus> status) {
        return cases.values().stream()
                .map(Case::approval)
                .filter(approval -> status.map(s -> approval.status() == s).orElse(true))
                .sorted(OLDEST_FIRST)
                .toList();
    }

    /** Every decision (partial approvals, approvals, rejections) made in [from, to), oldest first. */
    public List<AuditEntry> decisions(Instant from, Instant to) {
        return cases.values().stream()
                .map(Case::approval)
                .flatMap(approval -> approval.history().stream().filter(HistoryEntry::isDecision)
                        .filter(entry -> !entry.at().isBefore(from) && entry.at().isBefore(to))
                        .map(entry -> AuditEntry.of(approval, entry)))
                .sorted(Comparator.comparing(AuditEntry::at).thenComparing(AuditEntry::requestId))
                .toList();
    }

    /** IDs of the requests that wait for a decision. */
    List<String> pendingIds() {
        return cases.entrySet().stream().filter(e -> e.getValue().approval().awaitsDecision())
                .map(Map.Entry::getKey).toList();
    }

    /**
     * Runs {@code work} on the request's state under its lock.
     *
     * @throws UnknownRequestException when the queue has never seen the request
     */
    <T> T locked(String requestId, Function<Case, T> work) {
        Case found = cases.get(requestId);
        if (found == null) {
            throw new UnknownRequestException(requestId);
        }
        found.lock.lock();
        try {
            return work.apply(found);
        } finally {
            found.lock.unlock();
        }
    }
}
