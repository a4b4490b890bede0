package com.oneclick.approval.web;

import com.oneclick.approval.queue.Approval;
import com.oneclick.approval.queue.ApprovalQueue;
import com.oneclick.approval.queue.ApprovalStatus;
import com.oneclick.approval.queue.Decisions;
import com.oneclick.approval.queue.UnknownRequestException;
import com.oneclick.approval.security.ApproverIdentity;
import com.oneclick.model.RequestIds;
import com.oneclick.spring.InvalidInputException;
import com.oneclick.spring.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The approvers' API. An ID that is not a request ID (lowercase UUID) is answered like an unknown
 * one: 404. {@code GET /api/approvals/{id}} shows the request with its whole history.
 */
@RestController
@RequestMapping(path = "/api/approvals", produces = MediaType.APPLICATION_JSON_VALUE)
public class ApprovalController {

    private static final Logger log = LoggerFactory.getLogger(ApprovalController.class);

    private final ApprovalQueue queue;
    private final Decisions decisions;
    private final ApproverIdentity identity;

    public ApprovalController(ApprovalQueue queue, Decisions decisions, ApproverIdentity identity) {
        this.queue = queue;
        this.decisions = decisions;
        this.identity = identity;
    }

    @GetMapping
    public List<Approval> list(@RequestParam(name = "status", required = false) String status) {
        return queue.list(status(status));
    }

    @GetMapping("/{id}")
    public Approval get(@PathVariable("id") String id) {
        return queue.find(checked(id)).orElseThrow(() -> new UnknownRequestException(id));
    }

    @PostMapping(path = "/{id}/approve")
    public Approval approve(@PathVariable("id") String id, @RequestBody(required = false) ApproveBody body,
                            Authentication user) {
        Approval approved = decisions.approve(checked(id), identity.of(user), body == null ? null : body.comment());
        log.info("Request {} approved by {} ({})", approved.requestId(), user.getName(), approved.status());
        return approved;
    }

    @PostMapping(path = "/{id}/reject")
    public Approval reject(@PathVariable("id") String id, @RequestBody(required = false) RejectBody body,
                           Authentication user) {
        Approval rejected = decisions.reject(checked(id), identity.of(user), body == null ? null : body.reason());
        log.info("Request {} rejected by {}", rejected.requestId(), rejected.decidedBy());
        return rejected;
    }

    static String checked(String id) {
        if (!RequestIds.isValid(id)) {
            throw new NotFoundException("There is no request with this ID (request IDs are lowercase UUIDs).");
        }
        return id;
    }

    private static Optional<ApprovalStatus> status(String status) {
        if (status == null || status.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ApprovalStatus.valueOf(status.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status", "must be one of " + Arrays.toString(ApprovalStatus.values()));
        }
    }

    /** {@code POST /api/approvals/{id}/approve} body; the whole body is optional. */
    public record ApproveBody(String comment) {
    }

    /** {@code POST /api/approvals/{id}/reject} body; {@code reason} is required. */
    public record RejectBody(String reason) {
    }
}
