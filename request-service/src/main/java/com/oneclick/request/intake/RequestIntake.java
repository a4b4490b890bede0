package com.oneclick.request.intake;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;
import com.oneclick.request.status.RequestStatuses;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The use case behind {@code POST /api/requests}: normalise, validate with the shared rules,
 * publish {@link RequestSubmitted}, and show it in the status view at once. Knows no HTTP and no
 * Kafka: the publisher is a port that returns only once the event is acknowledged.
 */
public final class RequestIntake {

    private final Consumer<RequestEvent> publisher;
    private final RequestStatuses statuses;

    public RequestIntake(Consumer<RequestEvent> publisher, RequestStatuses statuses) {
        this.publisher = Objects.requireNonNull(publisher);
        this.statuses = Objects.requireNonNull(statuses);
    }

    /**
     * Submits a request.
     *
     * @param request        the request as the client sent it (may be null)
     * @param bodyViolations violations the edge found in the raw body (e.g. key material in a
     *                       field the request has no place for); reported with the rule violations
     * @return the new request's ID, or every violation (one per field) when nothing was published
     * @throws RuntimeException whatever the publisher throws when the event bus did not acknowledge
     */
    public Outcome submit(InstanceRequest request, List<FieldViolation> bodyViolations) {
        InstanceRequest normalized = request == null ? null : request.normalized();
        List<FieldViolation> violations = onePerField(RequestValidator.validate(normalized), bodyViolations);
        if (!violations.isEmpty()) {
            return new Outcome.Refused(violations);
        }
        RequestSubmitted event = RequestSubmitted.of(RequestIds.newId(), normalized);
        publisher.accept(event);
        statuses.apply(event);
        return new Outcome.Accepted(event.requestId());
    }

    private static List<FieldViolation> onePerField(List<FieldViolation> first, List<FieldViolation> second) {
        Set<String> fields = new LinkedHashSet<>();
        List<FieldViolation> merged = new ArrayList<>();
        for (List<FieldViolation> list : List.of(first, second)) {
            for (FieldViolation violation : list) {
                if (fields.add(violation.field())) {
                    merged.add(violation);
                }
            }
        }
        return merged;
    }

    /** What became of a submission. */
    public sealed interface Outcome {

        record Accepted(String requestId) implements Outcome {
        }

        record Refused(List<FieldViolation> violations) implements Outcome {
            public Refused {
                violations = List.copyOf(violations);
            }
        }
    }
}
