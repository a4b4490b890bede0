package com.oneclick.approval.queue;

import com.oneclick.model.validation.FieldViolation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The rules for an approver's free text: a comment on an approval, the reason for a rejection. */
public final class DecisionText {

    public static final int MAX_LENGTH = 1000;

    /** Control characters (C0, DEL, C1) other than the line feed. */
    private static final Pattern FORBIDDEN = Pattern.compile("[\\p{Cc}&&[^\\n]]");

    private DecisionText() {
    }

    /** Line breaks as {@code \n}, surrounding white space removed, blank as null. */
    public static String normalize(String text) {
        if (text == null) {
            return null;
        }
        String normalized = text.replace("\r\n", "\n").strip();
        return normalized.isEmpty() ? null : normalized;
    }

    /** Violations of a normalised comment (optional). */
    public static List<FieldViolation> checkComment(String comment) {
        List<FieldViolation> violations = new ArrayList<>();
        if (comment != null) {
            check("comment", comment, violations);
        }
        return violations;
    }

    /** Violations of a normalised reason (required). */
    public static List<FieldViolation> checkReason(String reason) {
        List<FieldViolation> violations = new ArrayList<>();
        if (reason == null) {
            violations.add(new FieldViolation("reason", "is required: tell the requester why"));
        } else {
            check("reason", reason, violations);
        }
        return violations;
    }

    private static void check(String field, String text, List<FieldViolation> violations) {
        if (text.length() > MAX_LENGTH) {
            violations.add(new FieldViolation(field, "must be at most " + MAX_LENGTH + " characters"));
        } else if (FORBIDDEN.matcher(text).find()) {
            violations.add(new FieldViolation(field, "must not contain control characters (line breaks are fine)"));
        }
    }
}
