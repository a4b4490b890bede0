package com.oneclick.deploy.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.deploy.ServiceSpec;
import com.oneclick.model.InstanceRequest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The services' public HTTP APIs, as a user drives them: submit (request-service), approve
 * (approval-service, HTTP Basic), read the inventory (provisioner-service). Calls that the service
 * answers with 503 (broker unreachable, approval queue still loading after a start) or that cannot
 * connect (service restarting) are tried again, as a person would.
 */
final class PublicApi {

    static final Duration CALL = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final FaultStack stack;

    PublicApi(FaultStack stack) {
        this.stack = stack;
    }

    /** POST /api/requests until 201; returns the request ID. */
    String submit(InstanceRequest request) {
        HttpResponse<String> response = untilNotUnavailable(() ->
                post(ServiceSpec.REQUEST, "/api/requests", request, false));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).path("requestId").asText();
    }

    /** Waits until the approval queue lists every one of the requests as pending. */
    void awaitPending(Collection<String> ids) {
        await().atMost(CALL).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> response = get(ServiceSpec.APPROVAL, "/api/approvals?status=PENDING", true);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).findValuesAsText("requestId")).containsAll(ids);
        });
    }

    /**
     * POST /api/approvals/{id}/approve until 200. A 409 after an earlier try that got no answer
     * means that try was published (the request is approved): accepted too.
     */
    void approve(String id) {
        int[] tries = {0};
        HttpResponse<String> response = untilNotUnavailable(() -> {
            tries[0]++;
            return post(ServiceSpec.APPROVAL, "/api/approvals/" + id + "/approve", Map.of("comment", "fault test"),
                    true);
        });
        if (response.statusCode() == 409 && tries[0] > 1 && json(response).toString().contains("APPROVED")) {
            return;
        }
        assertThat(response.statusCode()).as("approve %s: %s", id, response.body()).isEqualTo(200);
    }

    /** GET /api/inventory: every row (the last state of each request). */
    List<JsonNode> inventory() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(
                        stack.baseUrl(ServiceSpec.PROVISIONER) + "/api/inventory"))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        json(response).forEach(rows::add);
        return rows;
    }

    /** GET /api/inventory with Accept: text/csv: the CSV, one row per request. */
    String inventoryCsv() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(
                        stack.baseUrl(ServiceSpec.PROVISIONER) + "/api/inventory"))
                .timeout(Duration.ofSeconds(10)).header("Accept", "text/csv").GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    // ---- plumbing ----

    private interface Call {
        HttpResponse<String> send() throws IOException;
    }

    private static HttpResponse<String> untilNotUnavailable(Call call) {
        List<HttpResponse<String>> last = new ArrayList<>(1);
        await().atMost(CALL).pollInterval(Duration.ofSeconds(1)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    HttpResponse<String> response = call.send();
                    last.clear();
                    last.add(response);
                    return response.statusCode() != 503;
                });
        return last.get(0);
    }

    private HttpResponse<String> get(ServiceSpec spec, String path, boolean asApprover) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.baseUrl(spec) + path))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET();
        if (asApprover) {
            request.header("Authorization", basicAuth());
        }
        return sendChecked(request.build());
    }

    private HttpResponse<String> post(ServiceSpec spec, String path, Object body, boolean asApprover)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.baseUrl(spec) + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (asApprover) {
            request.header("Authorization", basicAuth());
        }
        return sendChecked(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return sendChecked(request);
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
        }
    }

    private static HttpResponse<String> sendChecked(HttpRequest request) throws IOException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (FaultStack.APPROVER + ":" + stack.approverPassword).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + response.body(), e);
        }
    }
}
