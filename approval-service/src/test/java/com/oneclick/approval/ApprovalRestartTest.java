package com.oneclick.approval;

import com.oneclick.testsupport.HttpTestClient;
import com.oneclick.testsupport.KafkaTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.testsupport.KafkaSupport;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static com.oneclick.approval.TestUsers.APPROVER;
import static com.oneclick.approval.TestUsers.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restart: a second run of the application, in the same consumer group after the first committed
 * its offsets, rebuilds the queue from the topics.
 */
class ApprovalRestartTest {

    @Test
    void restartedServiceShowsDecidedRequestsAsDecidedAndPendingOnesAsPending() {
        // given a first run that saw two submissions, approved one, and committed its offsets
        String group = "oneclick-approval-restart-" + UUID.randomUUID();
        String decided = RequestIds.newId();
        String pending = RequestIds.newId();
        try (ConfigurableApplicationContext first = start(group)) {
            HttpTestClient http = http(first);
            KafkaTestClient.publish(RequestSubmitted.of(decided, Requests.valid("decided-before-restart")));
            RecordMetadata lastSubmission =
                    KafkaTestClient.publish(RequestSubmitted.of(pending, Requests.valid("pending-over-restart")));
            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/approvals/" + decided, VIEWER).status()
                    == 200 && http.get("/api/approvals/" + pending, VIEWER).status() == 200);
            assertThat(http.post("/api/approvals/" + decided + "/approve", "{\"comment\":\"ok\"}", APPROVER).status())
                    .isEqualTo(200);
            KafkaTestClient.awaitConsumed(group, lastSubmission);
            KafkaTestClient.awaitConsumed(group, KafkaTestClient.recordsFor(Topics.APPROVED, decided).get(0));
        }

        // when the service starts again in the same group
        try (ConfigurableApplicationContext second = start(group)) {
            HttpTestClient http = http(second);

            // then a decision right away finds the request decided, or is asked to wait: never a second decision
            assertThat(http.post("/api/approvals/" + decided + "/reject", "{\"reason\":\"again\"}", APPROVER)
                    .status()).isIn(409, 503);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode approved = http.get("/api/approvals/" + decided, VIEWER).json();
                assertThat(approved.path("status").asText()).isEqualTo("APPROVED");
                assertThat(approved.path("decidedBy").asText()).isEqualTo(APPROVER.username());
                assertThat(approved.path("submittedAt").isNull()).isFalse();
                assertThat(http.get("/api/approvals/" + pending, VIEWER).json().path("status").asText())
                        .isEqualTo("PENDING");
            });
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    http.post("/api/approvals/" + pending + "/approve", "{}", APPROVER).status() == 200);
            assertThat(KafkaTestClient.recordsFor(Topics.REJECTED, decided)).isEmpty();
        }
    }

    @Test
    void restartKeepsAPartialApprovalSoTheSameApproverCannotCountTwice() {
        // given a first run in which alice gave the first of two approvals
        String group = "oneclick-approval-restart-" + UUID.randomUUID();
        String id = RequestIds.newId();
        try (ConfigurableApplicationContext first = start(group)) {
            HttpTestClient http = http(first);
            KafkaTestClient.publish(RequestSubmitted.of(id, Requests.of("two-approvers", "dev@example.com",
                    "m6i.2xlarge", "vpc-0f0f0f0f")));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    KafkaTestClient.recordsFor(Topics.AWAITING_APPROVAL, id).size() == 1);
            assertThat(http.post("/api/approvals/" + id + "/approve", "{\"comment\":\"fine by me\"}", APPROVER)
                    .status()).isEqualTo(200);
        }

        // when the service starts again
        try (ConfigurableApplicationContext second = start(group)) {
            HttpTestClient http = http(second);

            // then the request still waits with alice's approval and comment, nobody is asked again,
            // alice cannot approve twice, and bob's approval completes it
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    second.getBean(com.oneclick.approval.queue.ReplayProgress.class).caughtUp());
            JsonNode item = http.get("/api/approvals/" + id, VIEWER).json();
            assertThat(item.path("status").asText()).isEqualTo("PENDING");
            assertThat(item.path("approvedBy").get(0).asText()).isEqualTo(APPROVER.username());
            assertThat(item.path("requiredApprovals").asInt()).isEqualTo(2);
            assertThat(StreamSupport.stream(item.path("history").spliterator(), false)
                    .filter(h -> "APPROVAL".equals(h.path("step").asText())).map(h -> h.path("comment").asText())
                    .toList()).as("the first approval's comment survives the restart").containsExactly("fine by me");
            assertThat(http.post("/api/approvals/" + id + "/approve", "{}", APPROVER).status()).isEqualTo(409);
            assertThat(http.post("/api/approvals/" + id + "/approve", "{}", BOB).status()).isEqualTo(200);
            assertThat(KafkaTestClient.recordsFor(Topics.AWAITING_APPROVAL, id)).hasSize(2);
            assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).hasSize(1);
        }
    }

    private static final HttpTestClient.Credentials BOB = new HttpTestClient.Credentials("bob", "bob-secret-1");

    private static ConfigurableApplicationContext start(String group) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.cloud.stream.kafka.binder.brokers=" + KafkaSupport.bootstrapServers(),
                "--spring.cloud.stream.bindings.approvals-in-0.group=" + group,
                "--oneclick.approval.users[2].username=" + BOB.username(),
                "--oneclick.approval.users[2].password={bcrypt}"
                        + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4).encode(BOB.password()),
                "--oneclick.approval.users[2].email=bob@example.com",
                "--oneclick.approval.users[2].roles[0]=APPROVER",
                "--oneclick.approval.policies[0].name=big-instances",
                "--oneclick.approval.policies[0].match.min-vcpus=8",
                "--oneclick.approval.policies[0].action=require-approvals",
                "--oneclick.approval.policies[0].approvals=2"));
        TestUsers.properties().forEach((key, value) -> args.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(ApprovalApplication.class).run(args.toArray(String[]::new));
    }

    private static HttpTestClient http(ConfigurableApplicationContext context) {
        return new HttpTestClient(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }
}
