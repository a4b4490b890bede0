package com.oneclick.approval.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.spring.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import java.io.IOException;
import java.net.URI;

/** Writes security errors in the services' one error format, outside Spring MVC. */
final class ProblemJson {

    private final ObjectMapper objectMapper;

    ProblemJson(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
               String detail) throws IOException {
        ProblemDetail problem = ProblemResponses.problem(status, title, detail);
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        objectMapper.writeValue(response.getOutputStream(), problem);
    }
}
