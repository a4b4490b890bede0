package com.oneclick.approval.queue;

import com.oneclick.approval.policy.ApprovalPolicies;
import com.oneclick.approval.policy.Requirement;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.validation.FieldViolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The use cases of the approval step: hand a new request on (a policy approves it, or the
 * approvers are asked), an approver approves or rejects, a request that waited too long expires.
 *
 * <p>Order of checks for a person's decision: the text (400), the queue has finished rebuilding
 * itself from the topics (503), the request exists (404), it is still pending (409), no earlier
 * publish of it is in doubt (503), then for an approval: the approver has an email (403), did not
 * submit it (403), has not approved it already (409).
 *
 * <p>Every event is published while the request's lock is held and folded into the queue only
 * after the broker acknowledged it; if publishing fails the request stays as it was, and for a
 * while ({@code doubtWindow}, longer than the producer's delivery timeout) nobody may decide it,
 * because the event may still reach the topic; the replay reads it if it does.
 */
public final class Decisions {

    private static final Logger log = LoggerFactory.getLogger(Decisions.class);

    private final ApprovalQueue queue;
    private final DecisionPublisher publisher;
    private final ReplayProgress replay;
    private final ApprovalPolicies policies;
    private final ApproverDirectory directory;
    private final Clock clock;
    private final Settings settings;

    /**
     * @param expireAfter a pending request is rejected by {@code policy:expiry} once it waited this long
     * @param doubtWindow after a failed publish, how long the request cannot be decided
     */
    public record Settings(Duration expireAfter, Duration doubtWindow) {

        public static final Settings DEFAULTS = new Settings(Duration.ofHours(72), Duration.ofSeconds(30));
    }

    public Decisions(ApprovalQueue queue, DecisionPublisher publisher, ReplayProgress replay,
                     ApprovalPolicies policies, ApproverDirectory directory, Clock clock, Settings settings) {
        this.queue = Objects.requireNonNull(queue);
        this.publisher = Objects.requireNonNull(publisher);
        this.replay = Objects.requireNonNull(replay);
        this.policies = Objects.requireNonNull(policies);
        this.directory = Objects.requireNonNull(directory);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
    }

    /**
     * An approver approves: the final approval publishes {@code RequestApproved} with every
     * approver; one of several needed publishes {@code ApprovalRequested} with the approvers so far
     * (which records it durably and asks the others).
     */
    public Approval approve(String requestId, Approver approver, String comment) {
        String text = DecisionText.normalize(comment);
        failOn(DecisionText.checkComment(text));
        requireCaughtUp();
        return queue.locked(requestId, open -> {
            requireDecidable(open);
            if (approver.email() == null) {
                throw new NoEmailException(approver.username());
            }
            if (approver.submitted(open.request())) {
                throw new SelfApprovalException(requestId);
            }
            Requirement requirement = requirement(open);
            int required = Math.max(1, requirement.approvals());
            if (open.approvers().contains(approver.username())) {
                throw new AlreadyApprovedException(requestId, approver.username(), open.approvers().size(), required);
            }
            List<String> approvers = new ArrayList<>(open.approversInOrder());
            approvers.add(approver.username());
            RequestEvent event = approvers.size() >= required
                    ? RequestApproved.of(requestId, approver.username(), text, requirement.policy(), approvers,
                    open.request())
                    : ApprovalRequested.of(requestId, directory.recipients(open.request(), approvers), required,
                    approvers, requirement.policy(), text, open.request());
            publish(open, event);
            return open.approval();
        });
    }

    /** An approver rejects, with a reason. Rejecting one's own request is allowed: it withdraws it. */
    public Approval reject(String requestId, Approver approver, String reason) {
        String text = DecisionText.normalize(reason);
        failOn(DecisionText.checkReason(text));
        requireCaughtUp();
        return queue.locked(requestId, open -> {
            requireDecidable(open);
            publish(open, RequestRejected.of(requestId, approver.username(), text, open.request()));
            return open.approval();
        });
    }

    /**
     * Hands a submitted request on, once: a policy that approves it automatically publishes
     * {@code RequestApproved} by {@code policy:<name>}; otherwise {@code ApprovalRequested} asks
     * the approvers. Does nothing while the queue is rebuilding (the request may have been handed
     * on before the restart), or for a request that is decided, already handed on, or in doubt.
     *
     * @return the request after it was handed on; empty when nothing was done
     */
    public Optional<Approval> route(String requestId) {
        if (!replay.caughtUp()) {
            return Optional.empty();
        }
        return queue.locked(requestId, open -> {
            if (!open.pending() || open.routed() || open.request() == null || open.inDoubt(clock.instant())) {
                return Optional.<Approval>empty();
            }
            InstanceRequest request = open.request();
            Requirement requirement = policies.evaluate(request);
            RequestEvent event = requirement.automatic()
                    ? RequestApproved.of(requestId, requirement.decider(), null, requirement.policy(),
                    List.of(requirement.decider()), request)
                    : ApprovalRequested.of(requestId, directory.recipients(request, List.of()),
                    requirement.approvals(), List.of(), requirement.policy(), request);
            publish(open, event);
            if (requirement.automatic()) {
                log.info("Request {} approved automatically by policy {}", requestId, requirement.policy());
            }
            return Optional.of(open.approval());
        });
    }

    /** Hands on every request that waits and was not handed on yet (after a start, or a failed publish). */
    public int routeWaiting() {
        int routed = 0;
        for (String id : queue.pendingIds()) {
            try {
                if (route(id).isPresent()) {
                    routed++;
                }
            } catch (RuntimeException e) {
                log.warn("Could not hand on request {} yet ({}); retrying later", id, e.getMessage());
            }
        }
        return routed;
    }

    /**
     * Rejects every pending request that has waited {@code expireAfter} or longer, with
     * {@code RequestRejected(rejectedBy "policy:expiry", reason "expired", policy "expiry")}.
     * Decided requests never expire; each is checked again under its lock, so an approval at the
     * same moment wins or the expiry does, never both. Does nothing while the queue is rebuilding.
     *
     * @return the expired requests
     */
    public List<Approval> expireOverdue() {
        if (!replay.caughtUp()) {
            return List.of();
        }
        List<Approval> expired = new ArrayList<>();
        for (String id : queue.pendingIds()) {
            try {
                expire(id).ifPresent(expired::add);
            } catch (RuntimeException e) {
                log.warn("Could not expire request {} yet ({}); retrying later", id, e.getMessage());
            }
        }
        return expired;
    }

    private Optional<Approval> expire(String requestId) {
        return queue.locked(requestId, open -> {
            Instant now = clock.instant();
            if (!open.pending() || open.submittedAt() == null || open.inDoubt(now)
                    || open.submittedAt().plus(settings.expireAfter()).isAfter(now)) {
                return Optional.<Approval>empty();
            }
            publish(open, RequestRejected.of(requestId, ApprovalPolicies.decider(ApprovalPolicies.EXPIRY), "expired",
                    ApprovalPolicies.EXPIRY, open.request()));
            log.info("Request {} expired after waiting more than {}", requestId, settings.expireAfter());
            return Optional.of(open.approval());
        });
    }

    private Requirement requirement(Case open) {
        if (open.routed()) {
            return new Requirement(open.policy(), false, open.requiredApprovals());
        }
        // Not handed on yet (a decision right after the submission arrived): the policy says now.
        Requirement evaluated = policies.evaluate(open.request());
        return evaluated.automatic() ? new Requirement(evaluated.policy(), false, 1) : evaluated;
    }

    private void requireDecidable(Case open) {
        if (!open.pending()) {
            throw new AlreadyDecidedException(open.approval());
        }
        if (open.inDoubt(clock.instant())) {
            throw new DecisionInDoubtException(open.approval().requestId());
        }
    }

    private void publish(Case open, RequestEvent event) {
        try {
            publisher.publish(event);
        } catch (RuntimeException e) {
            open.inDoubtUntil(clock.instant().plus(settings.doubtWindow()));
            throw e;
        }
        open.fold(event);
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
