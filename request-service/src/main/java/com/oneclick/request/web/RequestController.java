package com.oneclick.request.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.request.intake.IdempotencyKeys;
import com.oneclick.request.intake.RequestIntake;
import com.oneclick.request.intake.RequestIntake.Outcome;
import com.oneclick.request.status.RequestStatus;
import com.oneclick.request.status.RequestStatuses;
import com.oneclick.request.status.RequestView;
import com.oneclick.spring.InvalidInputException;
import com.oneclick.spring.NotFoundException;
import com.oneclick.spring.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

/**
 * {@code POST /api/requests} and {@code GET /api/requests/{id}}. Errors are
 * {@code application/problem+json} (spring-support's ProblemResponses); a reused idempotency key
 * gets a 422 in the same format.
 */
@RestController
@RequestMapping("/api/requests")
@Tag(name = "requests")
public class RequestController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private final RequestIntake intake;
    private final RequestStatuses statuses;
    private final ObjectMapper objectMapper;

    public RequestController(RequestIntake intake, RequestStatuses statuses, ObjectMapper objectMapper) {
        this.intake = intake;
        this.statuses = statuses;
        this.objectMapper = objectMapper;
    }

    /**
     * The body is read as a JSON tree first so that key material is found anywhere in it, then
     * bound to {@link InstanceRequest}; binding errors (a string where a number belongs) take the
     * same path as any unreadable body, so they get the shared per-field 400.
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Submit an instance request",
            description = "Validates the request with the shared rules and publishes RequestSubmitted. With an "
                    + "Idempotency-Key, the same key and the same request answer 200 with the request made "
                    + "first; the same key with another request answers 422.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = InstanceRequest.class))))
    @ApiResponse(responseCode = "201", description = "Created: the request was published")
    @ApiResponse(responseCode = "200", description = "An earlier submission with this Idempotency-Key made this "
            + "request; nothing was published")
    @ApiResponse(responseCode = "400", description = "Invalid request or Idempotency-Key, one error per field",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used before for another request",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "503", description = "The event bus did not acknowledge; nothing was recorded",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    public ResponseEntity<Submitted> submit(
            @RequestBody JsonNode body,
            @Parameter(in = ParameterIn.HEADER, description = "Makes retries safe: " + IdempotencyKeys.RULE)
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            HttpServletRequest http) {
        if (idempotencyKey != null && !IdempotencyKeys.isValid(idempotencyKey)) {
            throw new InvalidInputException(List.of(new FieldViolation(IDEMPOTENCY_KEY, IdempotencyKeys.RULE)));
        }
        List<FieldViolation> keyMaterial = KeyMaterialScan.scan(body);
        InstanceRequest request;
        try {
            request = objectMapper.treeToValue(body, InstanceRequest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            if (!keyMaterial.isEmpty()) {
                throw new InvalidInputException(keyMaterial);
            }
            throw new HttpMessageNotReadableException("request body does not bind to InstanceRequest", e,
                    new ServletServerHttpRequest(http));
        }
        Outcome outcome = intake.submit(request, keyMaterial, idempotencyKey);
        if (outcome instanceof Outcome.Refused refused) {
            throw new InvalidInputException(refused.violations());
        }
        if (outcome instanceof Outcome.KeyReused) {
            throw new KeyReusedException();
        }
        Outcome.Accepted accepted = (Outcome.Accepted) outcome;
        URI location = URI.create("/api/requests/" + accepted.requestId());
        if (!accepted.created()) {
            return ResponseEntity.ok().location(location).header(IDEMPOTENT_REPLAYED, "true")
                    .body(new Submitted(accepted.requestId(), accepted.status()));
        }
        return ResponseEntity.created(location).body(new Submitted(accepted.requestId(), accepted.status()));
    }

    @ExceptionHandler(KeyReusedException.class)
    public ProblemDetail keyReused() {
        return ProblemResponses.problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency key reused",
                "This Idempotency-Key was used before for a different request; nothing was published. "
                        + "Use a new key for a new request.");
    }

    /** An ID that is not a request ID (lowercase UUID) is answered like an unknown one: 404. */
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A request's status, instance and timeline")
    @ApiResponse(responseCode = "200", description = "The request")
    @ApiResponse(responseCode = "404", description = "No such request",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    public RequestView get(@PathVariable("id") String id) {
        if (!RequestIds.isValid(id)) {
            throw new NotFoundException("There is no request with this ID (request IDs are lowercase UUIDs).");
        }
        return statuses.find(id).orElseThrow(() -> new NotFoundException("There is no request " + id + "."));
    }

    /** The answer to a successful submission. */
    public record Submitted(String requestId, RequestStatus status) {
    }

    private static final class KeyReusedException extends RuntimeException {
        KeyReusedException() {
            super("idempotency key reused for another request", null, false, false);
        }
    }
}
