package com.oneclick.request.status;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.CarriesRequest;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.events.StackPushed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status view: a projection of every event of the flow, per request. Held in memory and
 * rebuilt from the topics on each start.
 *
 * <p>Applying is idempotent (an event whose ID was applied before changes nothing) and
 * order-tolerant: events of one request come from several topics, so they may arrive in any
 * order. The status only moves forward, the timeline is kept in event-time order, and a request
 * first seen through a later event still gets its request data from any event that carries it.
 */
public final class RequestStatuses {

    private final Map<String, Tracked> requests = new ConcurrentHashMap<>();

    /** Folds one event into the view; returns false when it had been applied already. */
    public boolean apply(RequestEvent event) {
        Tracked tracked = requests.computeIfAbsent(event.requestId(), Tracked::new);
        synchronized (tracked) {
            return tracked.apply(event);
        }
    }

    public Optional<RequestView> find(String requestId) {
        Tracked tracked = requests.get(requestId);
        if (tracked == null) {
            return Optional.empty();
        }
        synchronized (tracked) {
            return Optional.of(tracked.view());
        }
    }

    /**
     * The requests of one requester (email compared without regard to case), newest first by the
     * time of their first event.
     */
    public List<RequestView> byRequester(String email) {
        List<RequestView> found = new ArrayList<>();
        for (Tracked tracked : requests.values()) {
            synchronized (tracked) {
                if (tracked.request != null && email.equalsIgnoreCase(tracked.request.requesterEmail())) {
                    found.add(tracked.view());
                }
            }
        }
        found.sort(Comparator.comparing((RequestView v) -> v.timeline().isEmpty() ? Instant.MIN
                : v.timeline().get(0).at()).reversed().thenComparing(RequestView::requestId));
        return found;
    }

    /** One request's state; guarded by its own monitor. */
    private static final class Tracked {

        private static final Comparator<Entry> TIME_ORDER =
                Comparator.comparing((Entry e) -> e.entry.at()).thenComparingLong(e -> e.arrival);

        private final String requestId;
        private final Set<UUID> applied = new HashSet<>();
        private final List<Entry> timeline = new ArrayList<>();
        private RequestStatus status = RequestStatus.SUBMITTED;
        private InstanceRequest request;
        private InstanceView instance;
        private String reason;
        private long arrivals;
        private boolean submitted;

        Tracked(String requestId) {
            this.requestId = requestId;
        }

        boolean apply(RequestEvent event) {
            if (!applied.add(event.eventId())) {
                return false;
            }
            if (event instanceof RequestSubmitted) {
                if (submitted) {
                    // The same request submitted again under its idempotency key (a retry after an
                    // ambiguous failure): one request, one submission; the first one stands.
                    return false;
                }
                submitted = true;
            }
            if (event instanceof CarriesRequest carrier && (request == null || event instanceof RequestSubmitted)) {
                request = carrier.request();
            }
            Step step = step(event);
            if (step.status != null && status.isBefore(step.status)) {
                status = step.status;
            }
            if (event instanceof InstanceProvisioned provisioned && instance == null) {
                InstanceRequest asked = provisioned.request() != null ? provisioned.request() : request;
                instance = InstanceView.of(provisioned,
                        asked == null ? null : asked.catalogProduct().orElse(null));
            } else if (event instanceof RequestRejected rejected && reason == null) {
                reason = rejected.reason();
            } else if (event instanceof ProvisioningFailed failed && reason == null) {
                reason = failed.reason();
            }
            Entry entry = new Entry(new TimelineEntry(step.name, event.type().wireName(), event.occurredAt(),
                    step.detail), arrivals++);
            timeline.add(entry);
            timeline.sort(TIME_ORDER);
            return true;
        }

        RequestView view() {
            return new RequestView(requestId, status, request == null ? null : request.product(), request,
                    instance, reason,
                    timeline.stream().map(e -> e.entry).toList());
        }

        private static Step step(RequestEvent event) {
            if (event instanceof RequestSubmitted submitted) {
                return new Step("SUBMITTED", RequestStatus.SUBMITTED, "by " + submitted.request().requesterEmail());
            }
            if (event instanceof RequestApproved approved) {
                return new Step("APPROVED", RequestStatus.APPROVED, "by " + approved.approvedBy()
                        + (approved.comment() == null ? "" : ": " + approved.comment()));
            }
            if (event instanceof RequestRejected rejected) {
                return new Step("REJECTED", RequestStatus.REJECTED, "by " + rejected.rejectedBy() + ": "
                        + rejected.reason());
            }
            if (event instanceof StackPushed pushed) {
                return new Step("PUSHED", RequestStatus.PUSHED, "commit " + pushed.commitId() + " on "
                        + pushed.branch() + (pushed.expiresAt() == null ? ""
                        : "; the instance expires at " + pushed.expiresAt()));
            }
            if (event instanceof BuildStarted build) {
                return new Step("BUILDING", RequestStatus.BUILDING, "build " + build.buildId() + " (" + build.mode()
                        + ")");
            }
            if (event instanceof InstanceProvisioned provisioned) {
                return new Step("PROVISIONED", RequestStatus.PROVISIONED, provisioned.instanceName() + " ("
                        + provisioned.instanceId() + (provisioned.simulated() ? ", simulated" : "") + ")");
            }
            if (event instanceof ProvisioningFailed failed) {
                return new Step("FAILED", RequestStatus.FAILED, failed.phase() + ": " + failed.reason());
            }
            NotificationSent sent = (NotificationSent) event;
            return new Step("EMAILED", null, sent.notification());
        }

        private record Step(String name, RequestStatus status, String detail) {
        }

        private record Entry(TimelineEntry entry, long arrival) {
        }
    }
}
