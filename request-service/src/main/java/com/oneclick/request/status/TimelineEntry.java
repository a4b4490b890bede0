package com.oneclick.request.status;

import java.time.Instant;

/**
 * One event in a request's history.
 *
 * @param step   SUBMITTED, APPROVED, REJECTED, PUSHED, BUILDING, PROVISIONED, FAILED or EMAILED
 * @param event  the event's logical type, e.g. {@code RequestApproved}
 * @param at     when the event happened
 * @param detail a short human-readable detail; for EMAILED the notification kind
 */
public record TimelineEntry(String step, String event, Instant at, String detail) {
}
