package com.oneclick.request.web;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.catalog.LabelledValue;
import com.oneclick.model.catalog.Product;
import com.oneclick.request.status.InstanceView;
import com.oneclick.request.status.RequestStatus;
import com.oneclick.request.status.RequestView;
import com.oneclick.request.status.TimelineEntry;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as its status page shows it: the steps of its path (submitted, approved, pushed,
 * building, provisioned, emailed; or rejected / failed with the reason), each with its time, and
 * the full history. The page renders it, and its script polls it as JSON
 * ({@code GET /requests/{id}/progress}) to update itself; one model, so both show the same.
 *
 * @param finished     true when nothing more will happen: a final status and its email sent
 * @param productTitle what the catalog calls the request's product ("Aurora MySQL cluster"); its
 *                     name when the catalog does not know it; null while the request is unknown
 * @param instance     what the build made, with its outputs labelled (see {@link InstanceView})
 * @param parameters   the product's parameters as asked for, with the catalog's labels, in its order
 * @param timeToLive   the request's time-to-live in words ({@code 168 hours (1 week)}); null without one
 */
public record StatusPage(String requestId, RequestStatus status, String statusLabel, boolean finished,
                         String reason, String productTitle, InstanceView instance, InstanceRequest request,
                         List<Detail> parameters, List<Step> steps, List<HistoryEntry> history,
                         String timeToLive) {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final List<String> HAPPY_PATH =
            List.of("SUBMITTED", "APPROVED", "PUSHED", "BUILDING", "PROVISIONED", "EMAILED");
    private static final Map<String, String> LABELS = Map.of("SUBMITTED", "Submitted", "APPROVED", "Approved",
            "REJECTED", "Rejected", "PUSHED", "Stack pushed", "BUILDING", "Building", "PROVISIONED", "Provisioned",
            "FAILED", "Failed", "EMAILED", "Emailed");
    private static final Map<RequestStatus, String> STATUS_LABELS = Map.of(
            RequestStatus.SUBMITTED, "Waiting for approval", RequestStatus.APPROVED, "Approved",
            RequestStatus.REJECTED, "Rejected", RequestStatus.PUSHED, "Stack pushed",
            RequestStatus.BUILDING, "Building", RequestStatus.PROVISIONED, "Provisioned",
            RequestStatus.FAILED, "Failed");

    /**
     * One step of the path.
     *
     * @param state {@code done}, {@code failed} (the rejection or failure itself), {@code current}
     *              (what the request waits for) or {@code pending}
     * @param at    when it happened; null when not yet, or when only a later step's event was seen
     */
    public record Step(String step, String label, String state, Instant at, String atText, String detail) {
    }

    /** A labelled value. */
    public record Detail(String label, String value) {
    }

    /** One event of the request's history. */
    public record HistoryEntry(String step, String label, String event, Instant at, String atText, String detail) {
    }

    static String statusLabel(RequestStatus status) {
        return STATUS_LABELS.get(status);
    }

    static String time(Instant at) {
        return at == null ? null : TIME.format(at);
    }

    public static StatusPage of(RequestView view) {
        RequestStatus status = view.status();
        boolean terminal = status == RequestStatus.PROVISIONED || status == RequestStatus.REJECTED
                || status == RequestStatus.FAILED;
        List<TimelineEntry> timeline = view.timeline();

        List<String> path = new ArrayList<>();
        if (status == RequestStatus.REJECTED) {
            path.addAll(List.of("SUBMITTED", "REJECTED", "EMAILED"));
        } else if (status == RequestStatus.FAILED) {
            path.add("SUBMITTED");
            for (String reached : List.of("APPROVED", "PUSHED", "BUILDING")) {
                if (entry(timeline, reached).isPresent()) {
                    path.add(reached);
                }
            }
            path.addAll(List.of("FAILED", "EMAILED"));
        } else {
            path.addAll(HAPPY_PATH);
        }

        List<Step> steps = new ArrayList<>();
        boolean currentGiven = false;
        for (int i = 0; i < path.size(); i++) {
            String step = path.get(i);
            Optional<TimelineEntry> entry = step.equals("EMAILED")
                    ? terminal ? emailFor(timeline, status.name()) : Optional.empty()
                    : entry(timeline, step);
            boolean laterSeen = !step.equals("EMAILED") && path.subList(i + 1, path.size()).stream()
                    .filter(later -> !later.equals("EMAILED")).anyMatch(later -> entry(timeline, later).isPresent());
            String state;
            if (entry.isPresent() || laterSeen) {
                state = step.equals("REJECTED") || step.equals("FAILED") ? "failed" : "done";
            } else if (!currentGiven) {
                state = "current";
                currentGiven = true;
            } else {
                state = "pending";
            }
            Instant at = entry.map(TimelineEntry::at).orElse(null);
            steps.add(new Step(step, LABELS.get(step), state, at, time(at), entry.map(StatusPage::detail).orElse(null)));
        }
        boolean finished = terminal && steps.get(steps.size() - 1).at() != null;

        List<HistoryEntry> history = timeline.stream().map(e -> new HistoryEntry(e.step(),
                LABELS.getOrDefault(e.step(), e.step()), e.event(), e.at(), time(e.at()), detail(e))).toList();
        InstanceRequest request = view.request();
        return new StatusPage(view.requestId(), status, statusLabel(status), finished, view.reason(),
                productTitle(request), view.instance(), request, parameters(request), steps, history,
                request == null ? null : timeToLive(request.timeToLiveHours()));
    }

    /** The catalog's title of the request's product; its name if the catalog does not know it. */
    static String productTitle(InstanceRequest request) {
        if (request == null) {
            return null;
        }
        return request.catalogProduct().map(Product::title).orElse(request.product());
    }

    /**
     * The request's parameters with the catalog's labels, in the catalog's order (a list as
     * {@code a, b}); any others after them under their names.
     */
    static List<Detail> parameters(InstanceRequest request) {
        if (request == null || request.parameters().isEmpty()) {
            return List.of();
        }
        return LabelledValue.parameters(request.catalogProduct(), request.parameters()).stream()
                .map(p -> new Detail(p.label(), p.value())).toList();
    }

    /** {@code 8 hours}, {@code 24 hours (1 day)}, {@code 168 hours (1 week)}, {@code 720 hours (30 days)}; null for none. */
    static String timeToLive(Integer hours) {
        if (hours == null) {
            return null;
        }
        String text = hours + (hours == 1 ? " hour" : " hours");
        if (hours % 24 != 0) {
            return text;
        }
        int days = hours / 24;
        if (days % 7 == 0) {
            int weeks = days / 7;
            return text + " (" + weeks + (weeks == 1 ? " week)" : " weeks)");
        }
        return text + " (" + days + (days == 1 ? " day)" : " days)");
    }

    /** An email's detail is its notification kind; the page says which email that was. */
    private static String detail(TimelineEntry entry) {
        if (!entry.step().equals("EMAILED") || entry.detail() == null) {
            return entry.detail();
        }
        return switch (entry.detail()) {
            case "RECEIVED" -> "'request received' email sent";
            case "APPROVED" -> "'request approved' email sent";
            case "REJECTED" -> "'request rejected' email sent";
            case "PROVISIONED" -> "'instance ready' email sent";
            case "FAILED" -> "'provisioning failed' email sent";
            default -> entry.detail() + " email sent";
        };
    }

    private static Optional<TimelineEntry> entry(List<TimelineEntry> timeline, String step) {
        return timeline.stream().filter(e -> e.step().equals(step)).findFirst();
    }

    /** The email of the final outcome (its notification kind is the status' name). */
    private static Optional<TimelineEntry> emailFor(List<TimelineEntry> timeline, String kind) {
        return timeline.stream().filter(e -> e.step().equals("EMAILED") && kind.equals(e.detail())).findFirst();
    }
}
