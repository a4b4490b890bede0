package com.oneclick.approval.web;

import com.oneclick.approval.queue.ApprovalQueue;
import com.oneclick.approval.queue.AuditEntry;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.spring.InvalidInputException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/audit?from=&to=}: every decision (approvals of several needed, approvals,
 * rejections — by people and by policies) in {@code [from, to)}, oldest first. Both bounds are
 * optional ISO-8601 times ({@code 2026-01-05T10:00:00Z}, with an offset, or a date meaning its
 * start in UTC).
 */
@RestController
public class AuditController {

    private static final int MAX_TEXT = 40;

    private final ApprovalQueue queue;

    public AuditController(ApprovalQueue queue) {
        this.queue = queue;
    }

    @GetMapping(path = "/api/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<AuditEntry> audit(@RequestParam(name = "from", required = false) String from,
                                  @RequestParam(name = "to", required = false) String to) {
        List<FieldViolation> violations = new ArrayList<>();
        Instant start = time("from", from, Instant.EPOCH, violations);
        Instant end = time("to", to, Instant.parse("9999-12-31T23:59:59Z"), violations);
        if (violations.isEmpty() && !start.isBefore(end)) {
            violations.add(new FieldViolation("to", "must be after from"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return queue.decisions(start, end);
    }

    private static Instant time(String field, String value, Instant absent, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        String text = value.strip();
        if (text.length() > MAX_TEXT) {
            violations.add(new FieldViolation(field, "is not an ISO-8601 time"));
            return absent;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                violations.add(new FieldViolation(field, "is not an ISO-8601 time such as 2026-01-05T10:00:00Z "
                        + "or a date such as 2026-01-05"));
                return absent;
            }
        }
    }
}
