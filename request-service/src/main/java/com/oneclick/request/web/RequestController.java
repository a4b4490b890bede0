package com.oneclick.request.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.request.intake.RequestIntake;
import com.oneclick.request.intake.RequestIntake.Outcome;
import com.oneclick.request.status.RequestStatus;
import com.oneclick.request.status.RequestStatuses;
import com.oneclick.request.status.RequestView;
import com.oneclick.spring.InvalidInputException;
import com.oneclick.spring.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

/**
 * {@code POST /api/requests} and {@code GET /api/requests/{id}}. Errors are
 * {@code application/problem+json} (spring-support's ProblemResponses).
 */
@RestController
@RequestMapping("/api/requests")
public class RequestController {

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
    public ResponseEntity<Submitted> submit(@RequestBody JsonNode body, HttpServletRequest http) {
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
        Outcome outcome = intake.submit(request, keyMaterial);
        if (outcome instanceof Outcome.Refused refused) {
            throw new InvalidInputException(refused.violations());
        }
        String requestId = ((Outcome.Accepted) outcome).requestId();
        return ResponseEntity.created(URI.create("/api/requests/" + requestId))
                .body(new Submitted(requestId, RequestStatus.SUBMITTED));
    }

    /** An ID that is not a request ID (lowercase UUID) is answered like an unknown one: 404. */
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public RequestView get(@PathVariable("id") String id) {
        if (!RequestIds.isValid(id)) {
            throw new NotFoundException("There is no request with this ID (request IDs are lowercase UUIDs).");
        }
        return statuses.find(id).orElseThrow(() -> new NotFoundException("There is no request " + id + "."));
    }

    /** The answer to a successful submission. */
    public record Submitted(String requestId, RequestStatus status) {
    }
}
