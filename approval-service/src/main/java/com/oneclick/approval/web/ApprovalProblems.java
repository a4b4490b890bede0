package com.oneclick.approval.web;

import com.oneclick.approval.queue.AlreadyApprovedException;
import com.oneclick.approval.queue.AlreadyDecidedException;
import com.oneclick.approval.queue.DecisionInDoubtException;
import com.oneclick.approval.queue.InvalidDecisionException;
import com.oneclick.approval.queue.NoEmailException;
import com.oneclick.approval.queue.QueueNotReadyException;
import com.oneclick.approval.queue.SelfApprovalException;
import com.oneclick.approval.queue.UnknownRequestException;
import com.oneclick.spring.ProblemResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The queue's outcomes as problem+json, in the shape of spring-support's ProblemResponses. */
@RestControllerAdvice
public class ApprovalProblems {

    @ExceptionHandler(InvalidDecisionException.class)
    public ProblemDetail invalid(InvalidDecisionException e) {
        return ProblemResponses.invalid(e.violations());
    }

    @ExceptionHandler(UnknownRequestException.class)
    public ProblemDetail unknown(UnknownRequestException e) {
        return ProblemResponses.problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(AlreadyDecidedException.class)
    public ProblemDetail decided(AlreadyDecidedException e) {
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.CONFLICT, "Already decided", e.getMessage());
        problem.setProperty("decision", e.current().status());
        return problem;
    }

    @ExceptionHandler(QueueNotReadyException.class)
    public ResponseEntity<ProblemDetail> notReady(QueueNotReadyException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, "Queue still loading", e.getMessage()));
    }

    @ExceptionHandler(AlreadyApprovedException.class)
    public ProblemDetail approvedAlready(AlreadyApprovedException e) {
        return ProblemResponses.problem(HttpStatus.CONFLICT, "Already approved by you", e.getMessage());
    }

    @ExceptionHandler(DecisionInDoubtException.class)
    public ResponseEntity<ProblemDetail> inDoubt(DecisionInDoubtException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "30")
                .body(ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, "Decision in doubt", e.getMessage()));
    }

    @ExceptionHandler(NoEmailException.class)
    public ProblemDetail noEmail(NoEmailException e) {
        return ProblemResponses.problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
    }

    @ExceptionHandler(SelfApprovalException.class)
    public ProblemDetail ownRequest(SelfApprovalException e) {
        return ProblemResponses.problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
    }
}
