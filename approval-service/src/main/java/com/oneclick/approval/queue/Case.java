package com.oneclick.approval.queue;

import com.oneclick.approval.queue.HistoryEntry.Step;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One request's state, folded from its events. The same {@link #fold} serves the replay from the
 * topics and the decisions taken here (which fold the event they published), so a restart rebuilds
 * exactly what was decided. Every change happens under {@link #lock}; readers see the immutable
 * {@link #approval()} snapshot.
 *
 * <p>Rules: an event is folded once (by event ID). A decision (approved or rejected) is final: what
 * is read after it only adds to the history. A submission for a known request changes nothing but
 * the missing submission time, so a replay never reopens a decided request.
 */
final class Case {

    private static final Comparator<HistoryEntry> CHRONOLOGICAL = Comparator.comparing(HistoryEntry::at)
            .thenComparing(entry -> entry.step().ordinal());

    final ReentrantLock lock = new ReentrantLock();

    private final String requestId;
    private final Set<UUID> folded = new HashSet<>();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final LinkedHashSet<String> approvers = new LinkedHashSet<>();
    private InstanceRequest request;
    private Instant submittedAt;
    private ApprovalStatus status = ApprovalStatus.PENDING;
    private String decidedBy;
    private Instant decidedAt;
    private String comment;
    private String reason;
    private String policy;
    private int requiredApprovals = 1;
    /** The request was handed on: approvers were asked, or it is decided. */
    private boolean routed;
    /** A publish failed without a clear answer until then; the event may still reach the topic. */
    private Instant inDoubtUntil;
    private volatile Approval snapshot;

    Case(String requestId) {
        this.requestId = requestId;
        this.snapshot = snapshot();
    }

    Approval approval() {
        return snapshot;
    }

    boolean pending() {
        return status == ApprovalStatus.PENDING;
    }

    boolean routed() {
        return routed;
    }

    /** Known from the submission (or from the first event that carried the request). */
    InstanceRequest request() {
        return request;
    }

    Instant submittedAt() {
        return submittedAt;
    }

    Set<String> approvers() {
        return Set.copyOf(approvers);
    }

    List<String> approversInOrder() {
        return List.copyOf(approvers);
    }

    int requiredApprovals() {
        return requiredApprovals;
    }

    String policy() {
        return policy;
    }

    boolean inDoubt(Instant now) {
        return inDoubtUntil != null && now.isBefore(inDoubtUntil);
    }

    void inDoubtUntil(Instant until) {
        this.inDoubtUntil = until;
    }

    /**
     * Folds an event of this request, whether just published here or read from the topics.
     *
     * @return true when the event changed anything
     */
    boolean fold(RequestEvent event) {
        if (!folded.add(event.eventId())) {
            return false;
        }
        boolean changed;
        if (event instanceof RequestSubmitted submitted) {
            changed = submitted(submitted);
        } else if (event instanceof ApprovalRequested requested) {
            changed = awaiting(requested);
        } else if (event instanceof RequestApproved approved) {
            changed = approved(approved);
        } else if (event instanceof RequestRejected rejected) {
            changed = rejected(rejected);
        } else {
            changed = false;
        }
        if (changed) {
            history.sort(CHRONOLOGICAL);
            snapshot = snapshot();
        }
        return changed;
    }

    private boolean submitted(RequestSubmitted event) {
        if (submittedAt != null) {
            return false; // a replay or a second submission of the same request: nothing new
        }
        submittedAt = event.occurredAt();
        if (request == null) {
            request = event.request();
        }
        history.add(entry(Step.SUBMITTED, event, event.request().requesterEmail(), null, null, null, null));
        return true;
    }

    private boolean awaiting(ApprovalRequested event) {
        if (request == null) {
            request = event.request();
        }
        List<String> approvedBy = event.approvedBy();
        for (String approver : approvedBy) {
            if (history.stream().noneMatch(h -> h.step() == Step.APPROVAL && approver.equals(h.by()))) {
                // the event carries the comment of its last approver; earlier ones came with earlier events
                String comment = approver.equals(approvedBy.get(approvedBy.size() - 1))
                        ? event.comment() : null;
                history.add(entry(Step.APPROVAL, event, approver, comment, null, event.policy(), null));
            }
        }
        history.add(entry(Step.AWAITING_APPROVAL, event, null, null, null, event.policy(),
                event.requiredApprovals()));
        if (pending()) {
            routed = true;
            approvers.addAll(event.approvedBy());
            requiredApprovals = Math.max(1, event.requiredApprovals());
            policy = event.policy();
        }
        return true;
    }

    private boolean approved(RequestApproved event) {
        if (request == null) {
            request = event.request();
        }
        if (!pending()) {
            return false; // decided once: a later decision read from the topics is not applied
        }
        history.add(entry(Step.APPROVED, event, event.approvedBy(), event.comment(), null, event.policy(), null));
        status = ApprovalStatus.APPROVED;
        decidedBy = event.approvedBy();
        decidedAt = event.occurredAt();
        comment = event.comment();
        policy = event.policy();
        approvers.addAll(event.approvers());
        if (event.approvers().stream().allMatch(a -> a.startsWith("policy:"))) {
            requiredApprovals = 0;
        }
        routed = true;
        return true;
    }

    private boolean rejected(RequestRejected event) {
        if (request == null) {
            request = event.request();
        }
        if (!pending()) {
            return false;
        }
        history.add(entry(Step.REJECTED, event, event.rejectedBy(), null, event.reason(), event.policy(), null));
        status = ApprovalStatus.REJECTED;
        decidedBy = event.rejectedBy();
        decidedAt = event.occurredAt();
        reason = event.reason();
        if (event.policy() != null) {
            policy = event.policy();
        }
        routed = true;
        return true;
    }

    private static HistoryEntry entry(Step step, RequestEvent event, String by, String comment, String reason,
                                      String policy, Integer required) {
        return new HistoryEntry(step, event.occurredAt(), by, comment, reason, policy, required,
                event.eventId().toString());
    }

    private Approval snapshot() {
        return new Approval(requestId, status, submittedAt, request, decidedBy, decidedAt, comment, reason, policy,
                requiredApprovals, List.copyOf(approvers), List.copyOf(history));
    }
}
