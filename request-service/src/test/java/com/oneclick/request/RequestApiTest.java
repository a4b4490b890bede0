package com.oneclick.request;

import com.oneclick.testsupport.HttpTestClient;
import com.oneclick.testsupport.KafkaTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.events.StackPushed;
import com.oneclick.testsupport.KafkaSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestApiTest {

    private static final String STATUS_GROUP = "oneclick-request-status";

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaSupport::bootstrapServers);
    }

    @LocalServerPort
    int port;

    private HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
    }

    @Test
    void validRequestIsAcceptedPublishedOnRequestedAndVisibleAtOnce() {
        // given
        String name = "agent-" + UUID.randomUUID();

        // when
        HttpTestClient.Response response = http.post("/api/requests", Requests.validJson(name));

        // then
        assertThat(response.status()).isEqualTo(201);
        String id = response.json().get("requestId").asText();
        assertThat(RequestIds.isValid(id)).isTrue();
        assertThat(response.json().get("status").asText()).isEqualTo("SUBMITTED");
        assertThat(response.location()).endsWith("/api/requests/" + id);

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClient.recordsFor(Topics.REQUESTED, id);
        assertThat(records).hasSize(1);
        RequestEvent event = KafkaTestClient.decode(records.get(0));
        assertThat(event).isInstanceOfSatisfying(RequestSubmitted.class, submitted -> {
            assertThat(submitted.requestId()).isEqualTo(id);
            assertThat(submitted.request()).isEqualTo(Requests.valid(name));
        });

        HttpTestClient.Response status = http.get(response.location().replaceFirst("^https?://[^/]+", ""));
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().fieldNames()).toIterable()
                .containsExactly("requestId", "status", "product", "request", "instance", "reason", "timeline");
        assertThat(status.json().get("product").asText()).isEqualTo("ec2-instance");
        assertThat(status.json().get("timeline").get(0).fieldNames()).toIterable()
                .containsExactly("step", "event", "at", "detail");
        assertThat(status.json().get("status").asText()).isEqualTo("SUBMITTED");
        assertThat(status.json().get("request").get("name").asText()).isEqualTo(name);
        assertThat(status.json().get("timeline").get(0).get("step").asText()).isEqualTo("SUBMITTED");
    }

    @Test
    void threeBadFieldsAnswer400WithExactlyThoseErrorsAndPublishNothing() {
        // given
        String name = "bad-" + UUID.randomUUID();
        String body = Requests.validJson(name)
                .replace("\"vpc-0a1b2c3d\"", "\"vpc-nothex!\"")
                .replace("\"t3.micro\"", "\"x9.galactic\"")
                .replace("\"rootVolumeGiB\": 20", "\"rootVolumeGiB\": 4");

        // when
        HttpTestClient.Response response = http.post("/api/requests", body);

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(fields(response.json())).containsExactlyInAnyOrder("vpcId", "instanceType", "rootVolumeGiB");
        assertThat(recordsNamed(name)).isZero();
    }

    @Test
    void keyMaterialAnywhereInTheBodyIsRefusedAndNotPublished() {
        // given a PEM key in a property the request does not even have
        String name = "keyed-" + UUID.randomUUID();
        String body = Requests.validJson(name).replace("\"tags\"",
                "\"notes\": \"-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----\", \"tags\"");

        // when
        HttpTestClient.Response response = http.post("/api/requests", body);

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response.json())).containsExactly("notes");
        assertThat(response.body()).doesNotContain("MIIEow");
        assertThat(recordsNamed(name)).isZero();
    }

    @Test
    void bodyThatIsNotJsonAnswers400Problem() {
        // when
        HttpTestClient.Response response = http.post("/api/requests", "name=agent&region=eu-west-1");

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(400);
    }

    @Test
    void stringWhereANumberBelongsAnswers400NamingTheField() {
        // given
        String body = Requests.validJson("typed").replace("\"rootVolumeGiB\": 20", "\"rootVolumeGiB\": \"twenty\"");

        // when
        HttpTestClient.Response response = http.post("/api/requests", body);

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(fields(response.json())).containsExactly("rootVolumeGiB");
    }

    @Test
    void unknownOrMalformedRequestIdAnswers404Problem() {
        // when
        HttpTestClient.Response unknown = http.get("/api/requests/" + RequestIds.newId());
        HttpTestClient.Response malformed = http.get("/api/requests/not-a-request-id");

        // then
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(malformed.status()).isEqualTo(404);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
    }

    @Test
    void statusViewFollowsTheEventsOfTheFlow() {
        // given a submitted request
        String name = "flow-" + UUID.randomUUID();
        String id = http.post("/api/requests", Requests.validJson(name)).json().get("requestId").asText();
        InstanceRequest request = Requests.valid(name);
        Instant t0 = Instant.now();

        // when the other services report their steps
        KafkaTestClient.publish(new RequestApproved(UUID.randomUUID(), id, t0.plusSeconds(1), 1, "alice", "ok", null, null,
                request));
        KafkaTestClient.publish(new StackPushed(UUID.randomUUID(), id, t0.plusSeconds(2), 1, "c0ffee", "main",
                "stacks/" + id));
        KafkaTestClient.publish(new BuildStarted(UUID.randomUUID(), id, t0.plusSeconds(3), 1, "build-7", "local"));
        KafkaTestClient.publish(new InstanceProvisioned(UUID.randomUUID(), id, t0.plusSeconds(4), 1,
                "i-0123456789abcdef0", name, "10.0.1.17", "eu-west-1a", true, "c0ffee", "build-7", request));
        KafkaTestClient.publish(new NotificationSent(UUID.randomUUID(), id, t0.plusSeconds(5), 1, "PROVISIONED",
                UUID.randomUUID(), "dev@example.com"));

        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode view = http.get("/api/requests/" + id).json();
            assertThat(view.get("status").asText()).isEqualTo("PROVISIONED");
            assertThat(steps(view)).containsExactly("SUBMITTED", "APPROVED", "PUSHED", "BUILDING", "PROVISIONED",
                    "EMAILED");
        });
        JsonNode view = http.get("/api/requests/" + id).json();
        assertThat(view.get("instance").get("instanceId").asText()).isEqualTo("i-0123456789abcdef0");
        assertThat(view.get("instance").get("privateIp").asText()).isEqualTo("10.0.1.17");
        assertThat(view.get("instance").get("simulated").asBoolean()).isTrue();
        assertThat(view.get("instance").get("outputs").get(0).toString())
                .isEqualTo("{\"name\":\"instance_id\",\"label\":\"Instance ID\",\"value\":\"i-0123456789abcdef0\"}");
        assertThat(view.get("reason").isNull()).isTrue();
        assertThat(view.get("timeline").get(5).get("detail").asText()).isEqualTo("PROVISIONED");
        assertThat(view.get("timeline").get(1).get("at").asText()).isEqualTo(t0.plusSeconds(1).toString());
    }

    @Test
    void sameEventDeliveredTwiceGivesOneTimelineEntry() {
        // given
        String id = http.post("/api/requests", Requests.validJson("twice")).json().get("requestId").asText();
        NotificationSent received = new NotificationSent(UUID.randomUUID(), id, Instant.now().plusSeconds(1), 1,
                "RECEIVED", UUID.randomUUID(), "dev@example.com");

        // when
        KafkaTestClient.publish(received);
        RecordMetadata second = KafkaTestClient.publish(received);
        KafkaTestClient.awaitConsumed(STATUS_GROUP, second);

        // then
        JsonNode view = http.get("/api/requests/" + id).json();
        assertThat(steps(view)).containsExactly("SUBMITTED", "EMAILED");
        assertThat(view.get("status").asText()).isEqualTo("SUBMITTED");
    }

    @Test
    void unreadableRecordGoesToTheDeadLetterTopicAndTheViewCarriesOn() {
        // given a record no service could read, on one of the seven topics
        String id = RequestIds.newId();
        RecordMetadata garbage = KafkaTestClient.publishRaw(Topics.PROGRESS, id, "StackPushed", "{not json");

        // when a sound event follows it
        String next = http.post("/api/requests", Requests.validJson("after-garbage")).json().get("requestId").asText();
        KafkaTestClient.publish(new BuildStarted(UUID.randomUUID(), next, Instant.now(), 1, "build-9", "local"));

        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(KafkaTestClient.recordsFor(Topics.deadLetter(Topics.PROGRESS), id)).hasSize(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/api/requests/" + next).json().get("status").asText()).isEqualTo("BUILDING"));
        assertThat(http.get("/api/requests/" + id).status()).isEqualTo(404);
        assertThat(garbage.topic()).isEqualTo(Topics.PROGRESS);
    }

    private static List<String> fields(JsonNode problem) {
        return StreamSupport.stream(problem.get("errors").spliterator(), false)
                .map(error -> error.get("field").asText()).toList();
    }

    private static List<String> steps(JsonNode view) {
        return StreamSupport.stream(view.get("timeline").spliterator(), false)
                .map(entry -> entry.get("step").asText()).toList();
    }

    private static long recordsNamed(String name) {
        return KafkaTestClient.readAll(Topics.REQUESTED).stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(name)).count();
    }
}
