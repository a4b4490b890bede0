package com.oneclick.request;

import com.oneclick.testsupport.HttpTestClient;
import com.oneclick.testsupport.KafkaTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.oneclick.model.Topics;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.testsupport.KafkaSupport;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restart: a second run of the application, in the same consumer group after the first committed
 * its offsets, rebuilds the in-memory status view from the topics.
 */
class StatusViewRestartTest {

    @Test
    void restartedServiceRebuildsTheStatusViewFromTheTopics() {
        // given a first run that took a request, saw its approval and committed its offsets
        String group = "oneclick-request-status-restart-" + UUID.randomUUID();
        String id;
        try (ConfigurableApplicationContext first = start(group)) {
            HttpTestClient http = http(first);
            id = http.post("/api/requests", Requests.validJson("survives-restart")).json().get("requestId").asText();
            RecordMetadata approval = KafkaTestClient.publish(new RequestApproved(UUID.randomUUID(), id,
                    Instant.now().plusSeconds(1), 1, "alice", null, null, null, Requests.valid("survives-restart")));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    "APPROVED".equals(http.get("/api/requests/" + id).json().path("status").asText()));
            KafkaTestClient.awaitConsumed(group, approval);
            KafkaTestClient.awaitConsumed(group, KafkaTestClient.recordsFor(Topics.REQUESTED, id).get(0));
        }

        // when the service starts again in the same group
        try (ConfigurableApplicationContext second = start(group)) {
            HttpTestClient http = http(second);

            // then
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode view = http.get("/api/requests/" + id).json();
                assertThat(view.path("status").asText()).isEqualTo("APPROVED");
                assertThat(view.path("timeline")).hasSize(2);
            });
        }
    }

    private static ConfigurableApplicationContext start(String group) {
        return new SpringApplicationBuilder(RequestApplication.class).run(
                "--server.port=0",
                "--spring.cloud.stream.kafka.binder.brokers=" + KafkaSupport.bootstrapServers(),
                "--spring.cloud.stream.bindings.statusView-in-0.group=" + group);
    }

    private static HttpTestClient http(ConfigurableApplicationContext context) {
        return new HttpTestClient(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }
}
