package com.oneclick.deploy.bench;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.testsupport.KafkaSupport;
import com.oneclick.testsupport.KafkaTestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventRecorderTest {

    @Test
    void aRequestIsApprovableOnceApprovalServiceQueuedItOrItWasDecided() {
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
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.isApprovable(queued)
                    && recorder.isApprovable(decided));
            assertThat(recorder.isApprovable(submitted)).isFalse();
            recorder.check();
        }
    }
}
