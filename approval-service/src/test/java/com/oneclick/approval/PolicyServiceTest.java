package com.oneclick.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.oneclick.approval.queue.ReplayProgress;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.testsupport.HttpTestClient;
import com.oneclick.testsupport.KafkaSupport;
import com.oneclick.testsupport.KafkaTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;

import static com.oneclick.approval.TestUsers.APPROVER;
import static com.oneclick.approval.TestUsers.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Policies from configuration, through Kafka: t3 in the sandbox VPC approved automatically, 4+
 * vCPUs need two distinct approvers, Aurora clusters by product (automatically in the sandbox, else
 * two approvers); the history and the audit API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PolicyServiceTest {

    static final String SANDBOX = "vpc-5a4d8b0c";
    static final String OTHER_VPC = "vpc-0f0f0f0f";
    static final HttpTestClient.Credentials BOB = new HttpTestClient.Credentials("bob", "bob-secret-1");

    @DynamicPropertySource
    static void configure(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaSupport::bootstrapServers);
        TestUsers.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("oneclick.approval.users[2].username", BOB::username);
        registry.add("oneclick.approval.users[2].password",
                () -> "{bcrypt}" + new BCryptPasswordEncoder(4).encode(BOB.password()));
        registry.add("oneclick.approval.users[2].email", () -> "bob@example.com");
        registry.add("oneclick.approval.users[2].roles[0]", () -> "APPROVER");
        registry.add("oneclick.approval.policies[0].name", () -> "sandbox-t3");
        registry.add("oneclick.approval.policies[0].match.instance-types[0]", () -> "t3.*");
        registry.add("oneclick.approval.policies[0].match.vpc-ids[0]", () -> SANDBOX);
        registry.add("oneclick.approval.policies[0].action", () -> "auto-approve");
        registry.add("oneclick.approval.policies[1].name", () -> "big-instances");
        registry.add("oneclick.approval.policies[1].match.min-vcpus", () -> "4");
        registry.add("oneclick.approval.policies[1].action", () -> "require-approvals");
        registry.add("oneclick.approval.policies[1].approvals", () -> "2");
        registry.add("oneclick.approval.policies[2].name", () -> "sandbox-aurora");
        registry.add("oneclick.approval.policies[2].match.products[0]", () -> "aurora-mysql");
        registry.add("oneclick.approval.policies[2].match.vpc-ids[0]", () -> SANDBOX);
        registry.add("oneclick.approval.policies[2].action", () -> "auto-approve");
        registry.add("oneclick.approval.policies[3].name", () -> "aurora-two");
        registry.add("oneclick.approval.policies[3].match.products[0]", () -> "aurora-mysql");
        registry.add("oneclick.approval.policies[3].action", () -> "require-approvals");
        registry.add("oneclick.approval.policies[3].approvals", () -> "2");
    }

    @LocalServerPort
    int port;

    @Autowired
    ReplayProgress replay;

    private HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
        await().atMost(Duration.ofSeconds(30)).until(replay::caughtUp);
    }

    @Test
    void t3InTheSandboxIsApprovedByThePolicyOnTheApprovedTopicAndNobodyIsAsked() {
        // given
        String id = RequestIds.newId();

        // when
        KafkaTestClient.publish(RequestSubmitted.of(id, Requests.of("sandbox-box", "dev@example.com", "t3.small",
                SANDBOX)));

        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).hasSize(1));
        assertThat(KafkaTestClient.decode(KafkaTestClient.recordsFor(Topics.APPROVED, id).get(0)))
                .isInstanceOfSatisfying(RequestApproved.class, event -> {
                    assertThat(event.approvedBy()).isEqualTo("policy:sandbox-t3");
                    assertThat(event.policy()).isEqualTo("sandbox-t3");
                    assertThat(event.approvers()).containsExactly("policy:sandbox-t3");
                });
        assertThat(KafkaTestClient.recordsFor(Topics.AWAITING_APPROVAL, id)).isEmpty();
        JsonNode item = http.get("/api/approvals/" + id, VIEWER).json();
        assertThat(item.path("status").asText()).isEqualTo("APPROVED");
        assertThat(item.path("decidedBy").asText()).isEqualTo("policy:sandbox-t3");
        assertThat(steps(item)).containsExactly("SUBMITTED", "APPROVED");
        assertThat(http.post("/api/approvals/" + id + "/reject", "{\"reason\":\"late\"}", APPROVER).status())
                .isEqualTo(409);
    }

    @Test
    void twoApproverPolicyRecordsTheFirstApprovalAndApprovesOnTheSecondDistinctOne() {
        // given a 4-vCPU request that waits for people; the approvers but the requester are asked
        String id = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(id, Requests.of("big-box", "dev@example.com", "m6i.xlarge",
                OTHER_VPC)));
        ApprovalRequested asked = awaitAwaitingApproval(id, 1);
        assertThat(asked.requiredApprovals()).isEqualTo(2);
        assertThat(asked.policy()).isEqualTo("big-instances");
        assertThat(asked.approverEmails()).containsExactly(TestUsers.APPROVER_EMAIL, "bob@example.com");

        // when alice approves
        HttpTestClient.Response first = http.post("/api/approvals/" + id + "/approve", "{\"comment\":\"fine\"}",
                APPROVER);

        // then it still waits, recorded on the awaiting-approval topic with alice, and bob is asked
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("status").asText()).isEqualTo("PENDING");
        assertThat(first.json().path("approvedBy").get(0).asText()).isEqualTo(APPROVER.username());
        ApprovalRequested partial = awaitAwaitingApproval(id, 2);
        assertThat(partial.approvedBy()).containsExactly(APPROVER.username());
        assertThat(partial.approverEmails()).containsExactly("bob@example.com");
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).isEmpty();

        // when alice approves again
        HttpTestClient.Response twice = http.post("/api/approvals/" + id + "/approve", "{}", APPROVER);

        // then 409 and nothing is published
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.contentType()).startsWith("application/problem+json");
        assertThat(twice.json().path("title").asText()).isEqualTo("Already approved by you");
        assertThat(KafkaTestClient.recordsFor(Topics.AWAITING_APPROVAL, id)).hasSize(2);
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).isEmpty();

        // when bob approves
        HttpTestClient.Response second = http.post("/api/approvals/" + id + "/approve", "{\"comment\":\"ok\"}", BOB);

        // then one RequestApproved with both approvers
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("status").asText()).isEqualTo("APPROVED");
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).singleElement().satisfies(record ->
                assertThat(KafkaTestClient.decode(record)).isInstanceOfSatisfying(RequestApproved.class, event -> {
                    assertThat(event.approvedBy()).isEqualTo(BOB.username());
                    assertThat(event.approvers()).containsExactly(APPROVER.username(), BOB.username());
                    assertThat(event.policy()).isEqualTo("big-instances");
                }));
        JsonNode item = http.get("/api/approvals/" + id, VIEWER).json();
        assertThat(steps(item)).containsExactly("SUBMITTED", "AWAITING_APPROVAL", "APPROVAL", "AWAITING_APPROVAL",
                "APPROVED");
        JsonNode firstApproval = item.path("history").get(2);
        assertThat(firstApproval.path("by").asText()).isEqualTo(APPROVER.username());
        assertThat(firstApproval.path("comment").asText()).isEqualTo("fine");
    }

    @Test
    void auroraPoliciesApplyByProductAndTheEc2VcpuRuleDoesNot() {
        // given
        String sandboxed = RequestIds.newId();
        String elsewhere = RequestIds.newId();

        // when
        KafkaTestClient.publish(RequestSubmitted.of(sandboxed, Requests.aurora("sandbox-db", "dev@example.com",
                SANDBOX)));
        KafkaTestClient.publish(RequestSubmitted.of(elsewhere, Requests.aurora("orders-db", "dev@example.com",
                OTHER_VPC)));

        // then: approved by the product's sandbox policy; elsewhere two approvers by the product's policy,
        // not by big-instances (min-vcpus 4), which comes first but has no instance type to look at
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, sandboxed)).hasSize(1));
        assertThat(KafkaTestClient.decode(KafkaTestClient.recordsFor(Topics.APPROVED, sandboxed).get(0)))
                .isInstanceOfSatisfying(RequestApproved.class, event -> {
                    assertThat(event.approvedBy()).isEqualTo("policy:sandbox-aurora");
                    assertThat(event.request().product()).isEqualTo("aurora-mysql");
                });
        assertThat(KafkaTestClient.recordsFor(Topics.AWAITING_APPROVAL, sandboxed)).isEmpty();
        ApprovalRequested asked = awaitAwaitingApproval(elsewhere, 1);
        assertThat(asked.policy()).isEqualTo("aurora-two");
        assertThat(asked.requiredApprovals()).isEqualTo(2);
    }

    @Test
    void auroraRequestIsRejectedLikeAnInstanceAndTheAuditShowsItsProductAndParameters() {
        // given
        Instant from = Instant.now().minusSeconds(1);
        String id = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(id, Requests.aurora("reports-db", "dev@example.com", OTHER_VPC)));
        awaitAwaitingApproval(id, 1);

        // when
        HttpTestClient.Response rejected = http.post("/api/approvals/" + id + "/reject",
                "{\"reason\":\"use the shared reporting cluster\"}", APPROVER);

        // then
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(KafkaTestClient.recordsFor(Topics.REJECTED, id)).singleElement().satisfies(record ->
                assertThat(KafkaTestClient.decode(record)).isInstanceOfSatisfying(RequestRejected.class, event -> {
                    assertThat(event.rejectedBy()).isEqualTo(APPROVER.username());
                    assertThat(event.request().product()).isEqualTo("aurora-mysql");
                }));
        JsonNode audit = http.get("/api/audit?from=" + from, VIEWER).json();
        JsonNode entry = StreamSupport.stream(audit.spliterator(), false)
                .filter(e -> id.equals(e.path("requestId").asText())).findFirst().orElseThrow();
        assertThat(entry.path("decision").asText()).isEqualTo("REJECTED");
        assertThat(entry.path("product").asText()).isEqualTo("aurora-mysql");
        assertThat(entry.path("productTitle").asText()).isEqualTo("Aurora MySQL cluster");
        assertThat(entry.path("instanceType").isNull()).isTrue();
        assertThat(entry.path("parameters").path("subnetIds").asText()).isEqualTo("subnet-0a1b2c3d,subnet-1a2b3c4d");
        assertThat(entry.path("parameters").path("instanceClass").asText()).isEqualTo("db.t4g.medium");
        assertThat(entry.path("parameters").path("databaseName").asText()).isEqualTo("orders");
    }

    @Test
    void requesterCannotGiveTheSecondApprovalEither() {
        // given bob's own 8-vCPU request, approved once by alice
        String id = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(id, Requests.of("bobs-box", "bob@example.com", "m6i.2xlarge",
                OTHER_VPC)));
        assertThat(awaitAwaitingApproval(id, 1).approverEmails()).containsExactly(TestUsers.APPROVER_EMAIL);
        assertThat(http.post("/api/approvals/" + id + "/approve", "{}", APPROVER).status()).isEqualTo(200);

        // when
        HttpTestClient.Response own = http.post("/api/approvals/" + id + "/approve", "{}", BOB);

        // then
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.contentType()).startsWith("application/problem+json");
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).isEmpty();
        assertThat(KafkaTestClient.recordsFor(Topics.AWAITING_APPROVAL, id)).hasSize(2);
    }

    @Test
    void auditListsTheDecisionsInTheWindowWithWhoWhenAndPolicy() {
        // given
        Instant from = Instant.now().minusSeconds(1);
        String id = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(id, Requests.of("audited", "dev@example.com", "m6i.large",
                OTHER_VPC)));
        awaitAwaitingApproval(id, 1);
        assertThat(http.post("/api/approvals/" + id + "/reject", "{\"reason\":\"use the shared runner\"}", APPROVER)
                .status()).isEqualTo(200);

        // when
        JsonNode audit = http.get("/api/audit?from=" + from + "&to=" + Instant.now().plusSeconds(60), VIEWER).json();
        JsonNode before = http.get("/api/audit?to=" + from, VIEWER).json();

        // then
        JsonNode entry = StreamSupport.stream(audit.spliterator(), false)
                .filter(e -> id.equals(e.path("requestId").asText())).findFirst().orElseThrow();
        assertThat(entry.path("decision").asText()).isEqualTo("REJECTED");
        assertThat(entry.path("by").asText()).isEqualTo(APPROVER.username());
        assertThat(entry.path("reason").asText()).isEqualTo("use the shared runner");
        assertThat(entry.path("requesterEmail").asText()).isEqualTo("dev@example.com");
        assertThat(entry.path("productTitle").asText()).isEqualTo("EC2 instance");
        assertThat(entry.path("instanceType").asText()).isEqualTo("m6i.large");
        assertThat(entry.path("at").asText()).isNotBlank();
        assertThat(StreamSupport.stream(before.spliterator(), false).map(e -> e.path("requestId").asText()))
                .doesNotContain(id);
    }

    @Test
    void auditRejectsTimesThatAreNotIso8601OrOutOfOrder() {
        // when
        HttpTestClient.Response garbage = http.get("/api/audit?from=yesterday&to=2026-13-01", VIEWER);
        HttpTestClient.Response reversed = http.get("/api/audit?from=2026-02-01T00:00:00Z&to=2026-01-01", VIEWER);
        HttpTestClient.Response anonymous = http.get("/api/audit", null);

        // then
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.contentType()).startsWith("application/problem+json");
        assertThat(garbage.json().path("errors")).extracting(e -> e.path("field").asText())
                .containsExactly("from", "to");
        assertThat(reversed.status()).isEqualTo(400);
        assertThat(reversed.json().path("errors").get(0).path("field").asText()).isEqualTo("to");
        assertThat(anonymous.status()).isEqualTo(401);
    }

    private static ApprovalRequested awaitAwaitingApproval(String id, int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(KafkaTestClient.recordsFor(Topics.AWAITING_APPROVAL, id)).hasSize(count));
        return (ApprovalRequested) KafkaTestClient.decode(KafkaTestClient.recordsFor(Topics.AWAITING_APPROVAL, id)
                .get(count - 1));
    }

    static List<String> steps(JsonNode item) {
        return StreamSupport.stream(item.path("history").spliterator(), false)
                .map(entry -> entry.path("step").asText()).toList();
    }
}
