package com.oneclick.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.oneclick.model.RequestIds;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives the running stack through its public interfaces only: {@code POST /api/requests} on
 * request-service, {@code POST /api/approvals/{id}/approve} on approval-service with the local
 * approver's HTTP Basic credentials, and the topics (through {@link EventRecorder}) to see where
 * each request is.
 *
 * <p>Submissions and approvals run on separate threads (one submitter in the closed loop, four
 * for the fixed rate so a slow answer does not delay the next submission; two approvers): an
 * approval waits only for approval-service to have queued its request (ApprovalRequested on
 * {@code oneclick.awaiting-approval}), never for the other submissions.
 */
public final class PipelineDriver {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** Approvals in flight at once: approval-service checks a BCrypt hash per call. */
    private static final int APPROVERS = 2;
    private static final Duration FIRST_RETRY = Duration.ofMillis(25);
    private static final Duration MAX_RETRY = Duration.ofMillis(400);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI requests;
    private final URI approvals;
    private final String basicAuth;
    private final EventRecorder recorder;
    private final PrintStream out;

    public PipelineDriver(int requestPort, int approvalPort, String approverUser, String approverPassword,
                          EventRecorder recorder, PrintStream out) {
        this.requests = URI.create("http://127.0.0.1:" + requestPort + "/api/requests");
        this.approvals = URI.create("http://127.0.0.1:" + approvalPort + "/api/approvals/");
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                (approverUser + ":" + approverPassword).getBytes(StandardCharsets.UTF_8));
        this.recorder = recorder;
        this.out = out;
    }

    /**
     * Submits {@code count} requests, each approved as soon as approval-service knows it, then waits
     * until every one was mailed or failed, or the timeout passed. {@code rate} requests per second,
     * or as fast as one client goes when {@code rate} is not positive (the closed loop).
     * Returns the IDs submitted.
     */
    public List<String> run(String label, int count, double rate, Duration timeout) {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        BlockingQueue<String> toApprove = new LinkedBlockingQueue<>();
        String poison = "";
        ExecutorService submitters = Executors.newFixedThreadPool(rate > 0 ? 4 : 1);
        ExecutorService approvers = Executors.newFixedThreadPool(APPROVERS);
        Instant deadline = Instant.now().plus(timeout);
        try {
            List<Future<?>> approving = new ArrayList<>();
            for (int i = 0; i < APPROVERS; i++) {
                approving.add(approvers.submit(() -> {
                    while (true) {
                        String id = toApprove.take();
                        if (id.equals(poison)) {
                            return null;
                        }
                        approve(id, deadline);
                    }
                }));
            }
            long start = System.nanoTime();
            List<Future<?>> submissions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                if (rate > 0) {
                    long due = start + (long) (n * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                submissions.add(submitters.submit(() -> {
                    Instant sent = Instant.now();
                    String id = submit(label, n);
                    recorder.submitted(id, sent);
                    ids.add(id);
                    toApprove.add(id);
                    return null;
                }));
            }
            for (Future<?> submission : submissions) {
                submission.get();
            }
            for (int i = 0; i < APPROVERS; i++) {
                toApprove.add(poison);
            }
            for (Future<?> approval : approving) {
                approval.get();
            }
            awaitOutcomes(label, ids, deadline);
            return List.copyOf(ids);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(label + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            submitters.shutdownNow();
            approvers.shutdownNow();
        }
    }

    private void awaitOutcomes(String label, List<String> ids, Instant deadline) throws InterruptedException {
        long lastReport = System.nanoTime();
        while (true) {
            recorder.check();
            List<RequestTimeline> timelines = recorder.timelines(ids);
            long done = timelines.stream().filter(t -> t.complete() || t.failed()).count();
            if (done == ids.size()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                out.printf("  %-20s timed out: %d of %d requests finished%n", label, done, ids.size());
                return;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                out.printf("  %-20s %d of %d requests finished ...%n", label, done, ids.size());
                lastReport = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    /** POST /api/requests; returns the new request's ID. */
    String submit(String label, int n) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(requests)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BenchRequests.json(BenchRequests.request(label, n))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST " + requests + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        JsonNode body = JSON.readTree(response.body());
        String id = body.path("requestId").asText("");
        if (!RequestIds.isValid(id)) {
            throw new IOException("POST " + requests + " answered without a request ID: " + abbreviate(response.body()));
        }
        return id;
    }

    /**
     * POST /api/approvals/{id}/approve once approval-service has queued the request (its
     * ApprovalRequested is on {@code oneclick.awaiting-approval}: when the approvers are told), and
     * again (backing off: every call costs approval-service a password check) if it answers 404 or
     * 503 (rebuilding its queue). 409 (decided already, e.g. by a policy) is fine.
     */
    void approve(String id, Instant deadline) throws IOException, InterruptedException {
        recorder.awaitApprovable(id, deadline);
        Duration retry = FIRST_RETRY;
        HttpRequest request = HttpRequest.newBuilder(approvals.resolve(id + "/approve"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", basicAuth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"comment\":\"benchmark\"}"))
                .build();
        while (true) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200 || status == 409) {
                return;
            }
            if ((status == 404 || status == 503) && Instant.now().isBefore(deadline)) {
                Thread.sleep(retry.toMillis());
                retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
                continue;
            }
            throw new IOException("approving " + id + " answered " + status + ": " + abbreviate(response.body()));
        }
    }

    private static String abbreviate(String text) {
        String clean = text == null ? "" : text.replaceAll("\\s+", " ");
        return clean.length() <= 300 ? clean : clean.substring(0, 300) + "…";
    }
}
