package com.oneclick.spring;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.oneclick.model.validation.FieldViolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one error format of the Spring services: {@code application/problem+json} (RFC 9457), with
 * an {@code errors} array of {@code {field, message}} for invalid input.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    @ExceptionHandler(InvalidInputException.class)
    public ProblemDetail invalidInput(InvalidInputException e) {
        return invalid(e.violations());
    }

    @ExceptionHandler(NotFoundException.class)
    public ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    public ProblemDetail conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
    }

    @ExceptionHandler(EventPublishException.class)
    public ProblemDetail unavailable(EventPublishException e) {
        log.warn("{}", e.getMessage(), e);
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Event bus unavailable",
                "The request was not recorded because the event bus did not acknowledge it; try again.");
    }

    /** A body that is not JSON, or a value of the wrong JSON type, names the field when it can. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        Throwable cause = ex.getMostSpecificCause();
        ProblemDetail body;
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String message = cause instanceof InvalidFormatException format
                    ? "has the wrong type: expected " + describe(format.getTargetType())
                    : "has the wrong type: expected " + describe(mismatch.getTargetType());
            body = invalid(List.of(new FieldViolation(path(mismatch), message)));
        } else {
            body = problem(HttpStatus.BAD_REQUEST, "Unreadable request body",
                    "The body must be a JSON document of the documented form.");
        }
        return ResponseEntity.badRequest().headers(headers).body(body);
    }

    public static ProblemDetail invalid(List<FieldViolation> violations) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request",
                violations.stream().map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; ")));
        problem.setProperty("errors", violations);
        return problem;
    }

    public static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "a string";
    }
}
