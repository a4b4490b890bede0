package com.oneclick.request.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;
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
import java.util.ArrayList;
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
    static final String PARAMETERS_SHAPE = "must be an object of text values, e.g. {\"instances\": \"2\"}";
    static final String PARAMETER_TEXT = "must be text; a list is one text with its values separated by commas";

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
    @Operation(summary = "Submit a request for a product of the catalog",
            description = "Validates the request with the shared rules and publishes RequestSubmitted. "
                    + "'product' names the catalog product (default ec2-instance); 'parameters' holds that "
                    + "product's own settings as text (violations are reported as parameters[<name>]); the EC2 "
                    + "fields belong to ec2-instance requests only. With an Idempotency-Key, the same key and "
                    + "the same request (product and parameters included) answer 200 with the request made "
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
        List<FieldViolation> shape = parametersShape(body);
        if (!shape.isEmpty()) {
            List<FieldViolation> both = new ArrayList<>(keyMaterial);
            both.addAll(shape);
            throw new InvalidInputException(both);
        }
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

    /**
     * {@code parameters} must be an object whose values are text (numbers and booleans are read as
     * their text); a list or an object as a value is refused under {@code parameters[<name>]}, the
     * name the rules use, instead of failing the whole body.
     */
    private static List<FieldViolation> parametersShape(JsonNode body) {
        JsonNode parameters = body == null ? null : body.get("parameters");
        if (parameters == null || parameters.isNull()) {
            return List.of();
        }
        if (!parameters.isObject()) {
            return List.of(new FieldViolation("parameters", PARAMETERS_SHAPE));
        }
        List<FieldViolation> found = new ArrayList<>();
        parameters.fields().forEachRemaining(parameter -> {
            if (parameter.getValue().isContainerNode()
                    && !RequestValidator.looksLikePrivateKey(parameter.getKey())) {
                found.add(new FieldViolation("parameters[" + parameter.getKey() + "]", PARAMETER_TEXT));
            }
        });
        return found;
    }

    @ExceptionHandler(KeyReusedException.class)
    public ProblemDetail keyReused() {
        return ProblemResponses.problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency key reused",
                "This Idempotency-Key was used before for a different request; nothing was published. "
                        + "Use a new key for a new request.");
    }

    /** An ID that is not a request ID (lowercase UUID) is answered like an unknown one: 404. */
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A request's status, product, outputs (once provisioned) and timeline")
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
