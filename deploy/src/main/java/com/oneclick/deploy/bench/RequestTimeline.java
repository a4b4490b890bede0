package com.oneclick.deploy.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When one request passed each point of the flow, as the benchmark observed it from the outside.
 * Every instant is on this machine's clock (the services run here too):
 *
 * <ul>
 *   <li>{@code submitted}: the driver sent {@code POST /api/requests};</li>
 *   <li>{@code approved}: timestamp of the RequestApproved record on {@code oneclick.approved};</li>
 *   <li>{@code pushed}: timestamp of the StackPushed record on {@code oneclick.progress};</li>
 *   <li>{@code buildStarted}: timestamp of the BuildStarted record on {@code oneclick.progress};</li>
 *   <li>{@code buildDone}: {@code occurredAt} of InstanceProvisioned (the provisioner creates the event
 *       right after the build's outputs are recorded);</li>
 *   <li>{@code provisioned}: timestamp of the InstanceProvisioned record on {@code oneclick.provisioned};</li>
 *   <li>{@code emailed}: timestamp of NotificationSent with notification {@code PROVISIONED} on
 *       {@code oneclick.notified} (the notifier publishes it after the SMTP server accepted the mail).</li>
 * </ul>
 *
 * Record timestamps are the producers' CreateTime (milliseconds); {@code occurredAt} has
 * microseconds. Any of them may be null while the request is under way or when it failed.
 */
public record RequestTimeline(String requestId, Instant submitted, Instant approved, Instant pushed,
                              Instant buildStarted, Instant buildDone, Instant provisioned, Instant emailed,
                              String failure) {

    /** A measured span of the flow: from one point to another. */
    public enum Stage {
        SUBMIT_TO_APPROVED("submit → approved"),
        APPROVED_TO_PUSHED("approved → pushed"),
        PUSHED_TO_BUILD_DONE("pushed → build done"),
        BUILD_DONE_TO_PROVISIONED("build done → provisioned"),
        PROVISIONED_TO_EMAIL("provisioned → email"),
        BUILD("build (BuildStarted → done)"),
        END_TO_END("end to end (submit → email)"),
        OVERHEAD("overhead (end to end − build)");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The five consecutive stages that add up to end to end. */
        public static final java.util.List<Stage> CHAIN = java.util.List.of(SUBMIT_TO_APPROVED, APPROVED_TO_PUSHED,
                PUSHED_TO_BUILD_DONE, BUILD_DONE_TO_PROVISIONED, PROVISIONED_TO_EMAIL);
    }

    public static RequestTimeline submittedAt(String requestId, Instant submitted) {
        return new RequestTimeline(requestId, submitted, null, null, null, null, null, null, null);
    }

    /** Provisioned and mailed. */
    public boolean complete() {
        return submitted != null && emailed != null && provisioned != null;
    }

    public boolean failed() {
        return failure != null;
    }

    /** The stage's duration, when both its ends were seen (clamped at zero: record timestamps are whole ms). */
    public Optional<Duration> stage(Stage stage) {
        return switch (stage) {
            case SUBMIT_TO_APPROVED -> between(submitted, approved);
            case APPROVED_TO_PUSHED -> between(approved, pushed);
            case PUSHED_TO_BUILD_DONE -> between(pushed, buildDone);
            case BUILD_DONE_TO_PROVISIONED -> between(buildDone, provisioned);
            case PROVISIONED_TO_EMAIL -> between(provisioned, emailed);
            case BUILD -> between(buildStarted, buildDone);
            case END_TO_END -> between(submitted, emailed);
            case OVERHEAD -> {
                Optional<Duration> total = between(submitted, emailed);
                Optional<Duration> build = between(buildStarted, buildDone);
                yield total.isPresent() && build.isPresent()
                        ? Optional.of(nonNegative(total.get().minus(build.get()))) : Optional.empty();
            }
        };
    }

    private static Optional<Duration> between(Instant from, Instant to) {
        return from == null || to == null ? Optional.empty() : Optional.of(nonNegative(Duration.between(from, to)));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    public RequestTimeline withApproved(Instant at) {
        return approved != null ? this : new RequestTimeline(requestId, submitted, at, pushed, buildStarted,
                buildDone, provisioned, emailed, failure);
    }

    public RequestTimeline withPushed(Instant at) {
        return pushed != null ? this : new RequestTimeline(requestId, submitted, approved, at, buildStarted,
                buildDone, provisioned, emailed, failure);
    }

    public RequestTimeline withBuildStarted(Instant at) {
        return buildStarted != null ? this : new RequestTimeline(requestId, submitted, approved, pushed, at,
                buildDone, provisioned, emailed, failure);
    }

    public RequestTimeline withProvisioned(Instant occurredAt, Instant recordTime) {
        return provisioned != null ? this : new RequestTimeline(requestId, submitted, approved, pushed, buildStarted,
                occurredAt, recordTime, emailed, failure);
    }

    public RequestTimeline withEmailed(Instant at) {
        return emailed != null ? this : new RequestTimeline(requestId, submitted, approved, pushed, buildStarted,
                buildDone, provisioned, at, failure);
    }

    public RequestTimeline withFailure(String reason) {
        return failure != null ? this : new RequestTimeline(requestId, submitted, approved, pushed, buildStarted,
                buildDone, provisioned, emailed, reason == null ? "failed" : reason);
    }

    public RequestTimeline withSubmitted(Instant at) {
        return new RequestTimeline(requestId, at, approved, pushed, buildStarted, buildDone, provisioned, emailed,
                failure);
    }
}
