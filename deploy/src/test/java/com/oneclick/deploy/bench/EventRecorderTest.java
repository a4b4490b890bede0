package com.oneclick.deploy.bench;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.events.StackPushed;
import com.oneclick.testsupport.KafkaSupport;
import com.oneclick.testsupport.KafkaTestClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EventRecorderTest {

    @BeforeAll
    static void theStacksTopicsExist() throws Exception {
        // as ./oneclick bench has them: created by the launcher before anything reads them
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaSupport.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = Stream.concat(EventRecorder.PROMPT_TOPICS.stream(),
                            EventRecorder.LATER_TOPICS.stream())
                    .filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, 1, (short) 1))
                    .toList();
            admin.createTopics(missing).all().get();
        }
    }

    @Test
    void aTopicThatDoesNotExistIsNamedAndNotCreated() throws Exception {
        // given: a broker that creates topics on demand, without the topic
        String bootstrap = KafkaSupport.bootstrapServers();

        // when / then
        assertThatThrownBy(() -> new EventRecorder(bootstrap, List.of("oneclick.no-such-topic"), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("topic oneclick.no-such-topic does not exist on " + bootstrap);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.listTopics().names().get()).doesNotContain("oneclick.no-such-topic");
        }
    }

    @Test
    void aRequestIsApprovableOnceApprovalServiceQueuedItOrItWasDecided() throws InterruptedException {
        // given: one request only submitted, one queued for approval, one approved by a policy
        InstanceRequest request = BenchRequests.request("recorder", 0);
        String submitted = RequestIds.newId();
        String queued = RequestIds.newId();
        String decided = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(submitted, request));
        KafkaTestClient.publish(RequestSubmitted.of(queued, request));
        KafkaTestClient.publish(ApprovalRequested.of(queued, List.of("approver@example.com"), 1, List.of(), "default",
                request));
        KafkaTestClient.publish(RequestApproved.of(decided, "policy", "auto", request));

        // when
        try (EventRecorder recorder = new EventRecorder(KafkaSupport.bootstrapServers())) {

            // then
            assertThat(recorder.awaitApprovable(queued, Instant.now().plusSeconds(30))).isTrue();
            assertThat(recorder.awaitApprovable(decided, Instant.now().plusSeconds(30))).isTrue();
            assertThat(recorder.isApprovable(queued)).isTrue();
            assertThat(recorder.awaitApprovable(submitted, Instant.now().plusMillis(200))).isFalse();
            assertThat(recorder.isApprovable(submitted)).isFalse();
            recorder.check();
        }
    }

    @Test
    void theLaterStagesAreRecordedAtTheirRecordsTimestamps() {
        // given: a request that went the whole way, its events on the topics read lazily
        InstanceRequest request = BenchRequests.request("recorder", 1);
        String id = RequestIds.newId();
        Instant submitted = Instant.now();
        RecordMetadata approved = KafkaTestClient.publish(RequestApproved.of(id, "approver@example.com", "ok", request));
        RecordMetadata pushed = KafkaTestClient.publish(StackPushed.of(id, "c0ffee", "main", "stacks/" + id + "/"));
        RecordMetadata started = KafkaTestClient.publish(BuildStarted.of(id, "local-1", "local"));
        InstanceProvisioned done = InstanceProvisioned.of(id, "i-0123456789abcdef0", "recorder-1", "10.0.0.7",
                "eu-west-1a", true, "c0ffee", "local-1", request);
        RecordMetadata provisioned = KafkaTestClient.publish(done);
        RecordMetadata emailed = KafkaTestClient.publish(NotificationSent.of(id, "PROVISIONED", done.eventId(),
                "dev@example.com"));

        // when
        try (EventRecorder recorder = new EventRecorder(KafkaSupport.bootstrapServers())) {
            recorder.submitted(id, submitted);

            // then
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.timeline(id) != null
                    && recorder.timeline(id).complete());
            RequestTimeline timeline = recorder.timeline(id);
            assertThat(timeline.submitted()).isEqualTo(submitted);
            assertThat(timeline.approved()).isEqualTo(Instant.ofEpochMilli(approved.timestamp()));
            assertThat(timeline.pushed()).isEqualTo(Instant.ofEpochMilli(pushed.timestamp()));
            assertThat(timeline.buildStarted()).isEqualTo(Instant.ofEpochMilli(started.timestamp()));
            assertThat(timeline.buildDone()).isEqualTo(done.occurredAt());
            assertThat(timeline.provisioned()).isEqualTo(Instant.ofEpochMilli(provisioned.timestamp()));
            assertThat(timeline.emailed()).isEqualTo(Instant.ofEpochMilli(emailed.timestamp()));
            assertThat(recorder.unreadable()).isZero();
            recorder.check();
        }
    }
}
