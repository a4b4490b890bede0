package com.oneclick.approval;

import com.oneclick.testsupport.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.oneclick.approval.queue.ReplayProgress;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.testsupport.HttpTestClient;
import com.oneclick.testsupport.KafkaSupport;
import com.oneclick.testsupport.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;

import static com.oneclick.approval.TestUsers.APPROVER;
import static com.oneclick.approval.TestUsers.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Expiry through Kafka, on a clock the test moves forward (the sweeper runs every 200 ms). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ExpiryServiceTest {

    @TestConfiguration
    static class Clocks {

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.now());
        }
    }

    @DynamicPropertySource
    static void configure(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaSupport::bootstrapServers);
        TestUsers.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("oneclick.approval.expire-after", () -> "72h");
        registry.add("oneclick.approval.sweep-interval", () -> "200ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    ReplayProgress replay;

    @Autowired
    MutableClock clock;

    @Test
    void requestWaitingLongerThanConfiguredIsRejectedAsExpiredOnceAndDecidedOnesNever() {
        // given one waiting and one approved request
        HttpTestClient http = new HttpTestClient(port);
        await().atMost(Duration.ofSeconds(30)).until(replay::caughtUp);
        String waiting = RequestIds.newId();
        String decided = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(waiting, Requests.valid("forgotten")));
        KafkaTestClient.publish(RequestSubmitted.of(decided, Requests.valid("decided")));
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/approvals/" + waiting, VIEWER).status() == 200
                && http.get("/api/approvals/" + decided, VIEWER).status() == 200);
        assertThat(http.post("/api/approvals/" + decided + "/approve", "{}", APPROVER).status()).isEqualTo(200);

        // when more than 72 hours pass
        clock.advance(Duration.ofHours(72).plusMinutes(1));

        // then the waiting one is rejected by the expiry policy, once, and the requester's email goes out
        // through the usual RequestRejected
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/api/approvals/" + waiting, VIEWER).json().path("status").asText())
                        .isEqualTo("REJECTED"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(KafkaTestClient.recordsFor(Topics.REJECTED, waiting)).hasSize(1));
        assertThat(KafkaTestClient.decode(KafkaTestClient.recordsFor(Topics.REJECTED, waiting).get(0)))
                .isInstanceOfSatisfying(RequestRejected.class, event -> {
                    assertThat(event.rejectedBy()).isEqualTo("policy:expiry");
                    assertThat(event.reason()).isEqualTo("expired");
                    assertThat(event.policy()).isEqualTo("expiry");
                    assertThat(event.request().requesterEmail()).isEqualTo("dev@example.com");
                });
        JsonNode item = http.get("/api/approvals/" + waiting, VIEWER).json();
        assertThat(item.path("decidedBy").asText()).isEqualTo("policy:expiry");
        assertThat(item.path("reason").asText()).isEqualTo("expired");
        assertThat(KafkaTestClient.recordsFor(Topics.REJECTED, decided)).isEmpty();
        assertThat(http.get("/api/approvals/" + decided, VIEWER).json().path("status").asText()).isEqualTo("APPROVED");
        assertThat(http.post("/api/approvals/" + waiting + "/approve", "{}", APPROVER).status()).isEqualTo(409);
    }
}
