package com.oneclick.model.validation;

/** One field that does not meet the rules, with a message a person can act on. */
public record FieldViolation(String field, String message) {
}
