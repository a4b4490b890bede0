package com.oneclick.request.intake;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;
import com.oneclick.request.status.RequestStatus;
import com.oneclick.request.status.RequestStatuses;
import com.oneclick.request.status.RequestView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
    private final Object[] locks = new Object[64];

    public RequestIntake(Consumer<RequestEvent> publisher, RequestStatuses statuses) {
        this.publisher = Objects.requireNonNull(publisher);
        this.statuses = Objects.requireNonNull(statuses);
        Arrays.setAll(locks, i -> new Object());
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
        return submit(request, bodyViolations, null);
    }

    /**
     * Submits a request under an idempotency key (see {@link IdempotencyKeys}): the first
     * submission with a key creates the request whose ID the key names; a later one with the same
     * (normalised) request gets that request back and publishes nothing; a later one with another
     * request is refused as {@link Outcome.KeyReused}. Submissions with one key are serialised in
     * this process, so a double click cannot publish twice.
     *
     * @param idempotencyKey null for none; otherwise valid per {@link IdempotencyKeys#isValid}
     */
    public Outcome submit(InstanceRequest request, List<FieldViolation> bodyViolations, String idempotencyKey) {
        InstanceRequest normalized = request == null ? null : request.normalized();
        List<FieldViolation> violations = onePerField(RequestValidator.validate(normalized), bodyViolations);
        if (!violations.isEmpty()) {
            return new Outcome.Refused(violations);
        }
        if (idempotencyKey == null) {
            return publish(RequestIds.newId(), normalized);
        }
        String requestId = IdempotencyKeys.requestId(normalized.requesterEmail(), idempotencyKey);
        synchronized (lockFor(requestId)) {
            Optional<RequestView> existing = statuses.find(requestId);
            if (existing.isPresent()) {
                InstanceRequest earlier = existing.get().request();
                return earlier == null || earlier.equals(normalized)
                        ? new Outcome.Accepted(requestId, false, existing.get().status())
                        : new Outcome.KeyReused(requestId);
            }
            return publish(requestId, normalized);
        }
    }

    private Outcome publish(String requestId, InstanceRequest normalized) {
        RequestSubmitted event = RequestSubmitted.of(requestId, normalized);
        publisher.accept(event);
        statuses.apply(event);
        return new Outcome.Accepted(event.requestId(), true, RequestStatus.SUBMITTED);
    }

    private Object lockFor(String requestId) {
        return locks[Math.floorMod(requestId.hashCode(), locks.length)];
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

        /**
         * The request exists: {@code created} when this submission made it, false when an earlier
         * one with the same idempotency key and the same request did; {@code status} where it stands.
         */
        record Accepted(String requestId, boolean created, RequestStatus status) implements Outcome {
        }

        /** The idempotency key was used before for another request; nothing was published. */
        record KeyReused(String requestId) implements Outcome {
        }

        record Refused(List<FieldViolation> violations) implements Outcome {
            public Refused {
                violations = List.copyOf(violations);
            }
        }
    }
}
