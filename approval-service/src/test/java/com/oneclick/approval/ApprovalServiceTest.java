package com.oneclick.approval;

import com.oneclick.testsupport.HttpTestClient;
import com.oneclick.testsupport.KafkaTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.oneclick.approval.queue.ReplayProgress;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.testsupport.KafkaSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static com.oneclick.approval.TestUsers.APPROVER;
import static com.oneclick.approval.TestUsers.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ApprovalServiceTest {

    private static final String GROUP = "oneclick-approval";

    @DynamicPropertySource
    static void configure(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaSupport::bootstrapServers);
        TestUsers.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    int port;

    @Autowired
    ReplayProgress replay;

    private HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
        // After a start, decisions wait until the queue has read its topics to the end (503 before).
        await().atMost(Duration.ofSeconds(30)).until(replay::caughtUp);
    }

    @Test
    void submittedRequestAppearsAsPending() {
        // given
        String id = RequestIds.newId();
        RequestSubmitted submitted = RequestSubmitted.of(id, Requests.valid("pending-agent"));

        // when
        KafkaTestClient.publish(submitted);

        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ids(http.get("/api/approvals?status=PENDING", VIEWER).json())).contains(id));
        JsonNode item = http.get("/api/approvals/" + id, VIEWER).json();
        assertThat(item.fieldNames()).toIterable().containsExactly("requestId", "status", "submittedAt", "request",
                "decidedBy", "decidedAt", "comment", "reason", "policy", "requiredApprovals", "approvedBy", "history");
        assertThat(item.get("status").asText()).isEqualTo("PENDING");
        assertThat(item.get("submittedAt").asText()).isEqualTo(submitted.occurredAt().toString());
        assertThat(item.get("request").get("name").asText()).isEqualTo("pending-agent");
        assertThat(item.get("decidedBy").isNull()).isTrue();
        assertThat(ids(http.get("/api/approvals?status=APPROVED", VIEWER).json())).doesNotContain(id);
    }

    @Test
    void approveAnswers200AndPublishesRequestApprovedWithTheApprover() {
        // given
        InstanceRequest request = Requests.valid("approve-me");
        String id = pendingRequest(request);

        // when
        HttpTestClient.Response response = http.post("/api/approvals/" + id + "/approve", "{\"comment\":\"looks fine\"}",
                APPROVER);

        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asText()).isEqualTo("APPROVED");
        assertThat(response.json().get("decidedBy").asText()).isEqualTo(APPROVER.username());
        assertThat(response.json().get("comment").asText()).isEqualTo("looks fine");
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClient.recordsFor(Topics.APPROVED, id);
        assertThat(records).singleElement().satisfies(record ->
                assertThat(KafkaTestClient.decode(record)).isInstanceOfSatisfying(RequestApproved.class, event -> {
                    assertThat(event.approvedBy()).isEqualTo(APPROVER.username());
                    assertThat(event.comment()).isEqualTo("looks fine");
                    assertThat(event.request()).isEqualTo(request);
                }));
    }

    @Test
    void auroraRequestIsApprovedLikeAnInstanceAndTheEventCarriesItsProductAndParameters() {
        // given
        InstanceRequest request = Requests.aurora("orders-db", "dev@example.com", "vpc-0a1b2c3d");
        String id = pendingRequest(request);
        JsonNode pending = http.get("/api/approvals/" + id, VIEWER).json();
        assertThat(pending.path("request").path("product").asText()).isEqualTo("aurora-mysql");
        assertThat(pending.path("request").path("parameters").path("instanceClass").asText())
                .isEqualTo("db.t4g.medium");

        // when
        HttpTestClient.Response response = http.post("/api/approvals/" + id + "/approve", "{\"comment\":\"ok\"}",
                APPROVER);

        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("APPROVED");
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).singleElement().satisfies(record ->
                assertThat(KafkaTestClient.decode(record)).isInstanceOfSatisfying(RequestApproved.class, event -> {
                    assertThat(event.approvedBy()).isEqualTo(APPROVER.username());
                    assertThat(event.request()).isEqualTo(request);
                    assertThat(event.request().product()).isEqualTo("aurora-mysql");
                    assertThat(event.request().parameters()).containsEntry("subnetIds",
                            "subnet-0a1b2c3d,subnet-1a2b3c4d");
                }));
    }

    @Test
    void rejectWithReasonPublishesRequestRejected() {
        // given
        String id = pendingRequest(Requests.valid("reject-me"));

        // when
        HttpTestClient.Response response = http.post("/api/approvals/" + id + "/reject", "{\"reason\":\"use t3.nano\"}",
                APPROVER);

        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asText()).isEqualTo("REJECTED");
        assertThat(response.json().get("reason").asText()).isEqualTo("use t3.nano");
        assertThat(KafkaTestClient.recordsFor(Topics.REJECTED, id)).singleElement().satisfies(record ->
                assertThat(KafkaTestClient.decode(record)).isInstanceOfSatisfying(RequestRejected.class, event -> {
                    assertThat(event.rejectedBy()).isEqualTo(APPROVER.username());
                    assertThat(event.reason()).isEqualTo("use t3.nano");
                }));
    }

    @Test
    void secondDecisionAnswers409AndPublishesNothing() {
        // given
        String id = pendingRequest(Requests.valid("decided-once"));
        assertThat(http.post("/api/approvals/" + id + "/approve", "{}", APPROVER).status()).isEqualTo(200);

        // when
        HttpTestClient.Response again = http.post("/api/approvals/" + id + "/approve", "{}", APPROVER);
        HttpTestClient.Response reject = http.post("/api/approvals/" + id + "/reject", "{\"reason\":\"no\"}", APPROVER);

        // then
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(reject.status()).isEqualTo(409);
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).hasSize(1);
        assertThat(KafkaTestClient.recordsFor(Topics.REJECTED, id)).isEmpty();
    }

    @Test
    void rejectWithoutReasonAnswers400AndLeavesTheRequestPending() {
        // given
        String id = pendingRequest(Requests.valid("no-reason"));

        // when
        HttpTestClient.Response empty = http.post("/api/approvals/" + id + "/reject", "{}", APPROVER);
        HttpTestClient.Response blank = http.post("/api/approvals/" + id + "/reject", "{\"reason\":\"  \"}", APPROVER);

        // then
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.contentType()).startsWith("application/problem+json");
        assertThat(empty.json().get("errors").get(0).get("field").asText()).isEqualTo("reason");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(http.get("/api/approvals/" + id, VIEWER).json().get("status").asText()).isEqualTo("PENDING");
        assertThat(KafkaTestClient.recordsFor(Topics.REJECTED, id)).isEmpty();
    }

    @Test
    void missingOrWrongCredentialsAnswer401Problem() {
        // when
        HttpTestClient.Response none = http.get("/api/approvals", null);
        HttpTestClient.Response wrong = http.get("/api/approvals", new HttpTestClient.Credentials(APPROVER.username(), "guess"));
        HttpTestClient.Response decide = http.post("/api/approvals/" + RequestIds.newId() + "/approve", "{}", null);

        // then
        for (HttpTestClient.Response response : List.of(none, wrong, decide)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().get("status").asInt()).isEqualTo(401);
            assertThat(response.wwwAuthenticate()).startsWith("Basic");
        }
    }

    @Test
    void userWithoutTheApproverRoleMayReadButDecisionsAnswer403() {
        // given
        String id = pendingRequest(Requests.valid("viewer-tries"));

        // when
        HttpTestClient.Response read = http.get("/api/approvals/" + id, VIEWER);
        HttpTestClient.Response approve = http.post("/api/approvals/" + id + "/approve", "{}", VIEWER);
        HttpTestClient.Response reject = http.post("/api/approvals/" + id + "/reject", "{\"reason\":\"no\"}", VIEWER);

        // then
        assertThat(read.status()).isEqualTo(200);
        assertThat(approve.status()).isEqualTo(403);
        assertThat(approve.contentType()).startsWith("application/problem+json");
        assertThat(approve.json().get("status").asInt()).isEqualTo(403);
        assertThat(reject.status()).isEqualTo(403);
        assertThat(http.get("/api/approvals/" + id, VIEWER).json().get("status").asText()).isEqualTo("PENDING");
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).isEmpty();
    }

    @Test
    void approverCannotApproveTheirOwnRequest() {
        // given
        String id = pendingRequest(Requests.byRequester("own-request", TestUsers.APPROVER_EMAIL));

        // when
        HttpTestClient.Response response = http.post("/api/approvals/" + id + "/approve", "{}", APPROVER);

        // then
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).isEmpty();
    }

    @Test
    void twoConcurrentApprovalsOfOneRequestGiveOne200AndOne409AndOneEvent() throws Exception {
        // given
        String id = pendingRequest(Requests.valid("raced"));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> answers = List.of(
                    threads.submit(() -> approveWhen(start, id)),
                    threads.submit(() -> approveWhen(start, id)));

            // when
            start.countDown();

            // then
            List<Integer> statuses = List.of(answers.get(0).get(30, TimeUnit.SECONDS),
                    answers.get(1).get(30, TimeUnit.SECONDS));
            assertThat(statuses).containsExactlyInAnyOrder(200, 409);
            assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void replayedSubmissionDoesNotMakeADecidedRequestPendingAgain() {
        // given
        InstanceRequest request = Requests.valid("replayed");
        String id = RequestIds.newId();
        RequestSubmitted submitted = RequestSubmitted.of(id, request);
        KafkaTestClient.publish(submitted);
        awaitVisible(id);
        assertThat(http.post("/api/approvals/" + id + "/approve", "{}", APPROVER).status()).isEqualTo(200);

        // when the same submission, and one with a new event ID, arrive again
        KafkaTestClient.publish(submitted);
        RecordMetadata last = KafkaTestClient.publish(RequestSubmitted.of(id, request));
        KafkaTestClient.awaitConsumed(GROUP, last);

        // then
        JsonNode item = http.get("/api/approvals/" + id, VIEWER).json();
        assertThat(item.get("status").asText()).isEqualTo("APPROVED");
        assertThat(item.get("decidedBy").asText()).isEqualTo(APPROVER.username());
        assertThat(ids(http.get("/api/approvals?status=PENDING", VIEWER).json())).doesNotContain(id);
    }

    @Test
    void unknownOrMalformedRequestAnswers404() {
        // when
        HttpTestClient.Response unknown = http.post("/api/approvals/" + RequestIds.newId() + "/approve", "{}", APPROVER);
        HttpTestClient.Response malformed = http.get("/api/approvals/..%2Fetc", VIEWER);
        HttpTestClient.Response missing = http.get("/api/approvals/" + RequestIds.newId(), VIEWER);

        // then
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(malformed.status()).isIn(400, 404);
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void unknownStatusFilterAnswers400() {
        // when
        HttpTestClient.Response response = http.get("/api/approvals?status=MAYBE", VIEWER);

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("status");
    }

    private int approveWhen(CountDownLatch start, String id) throws InterruptedException {
        start.await();
        return http.post("/api/approvals/" + id + "/approve", "{}", APPROVER).status();
    }

    private String pendingRequest(InstanceRequest request) {
        String id = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(id, request));
        awaitVisible(id);
        return id;
    }

    private void awaitVisible(String id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/approvals/" + id, VIEWER).status() == 200);
    }

    private static List<String> ids(JsonNode list) {
        return StreamSupport.stream(list.spliterator(), false).map(item -> item.get("requestId").asText()).toList();
    }
}
