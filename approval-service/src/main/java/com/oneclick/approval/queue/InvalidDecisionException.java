package com.oneclick.approval.queue;

import com.oneclick.model.validation.FieldViolation;

import java.util.List;

/** The decision's text breaks the rules of {@link DecisionText}. */
public class InvalidDecisionException extends RuntimeException {

    private final transient List<FieldViolation> violations;

    public InvalidDecisionException(List<FieldViolation> violations) {
        super(violations.size() + " invalid field(s)");
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
