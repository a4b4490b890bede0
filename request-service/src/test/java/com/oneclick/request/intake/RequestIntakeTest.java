package com.oneclick.request.intake;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.request.intake.RequestIntake.Outcome;
import com.oneclick.request.status.RequestStatus;
import com.oneclick.request.status.RequestStatuses;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestIntakeTest {

    private final List<RequestEvent> published = new ArrayList<>();
    private final RequestStatuses statuses = new RequestStatuses();
    private final RequestIntake intake = new RequestIntake(published::add, statuses);

    @Test
    void validRequestIsPublishedNormalizedAndShownAtOnce() {
        // given
        InstanceRequest request = new InstanceRequest(" build-agent-7 ", "dev@example.com ", "eu-west-1",
                "vpc-0a1b2c3d", "subnet-0a1b2c3d", "t3.micro", "ami-0a1b2c3d", "dev-laptop", 20,
                List.of(" sg-0a1b2c3d"), Map.of("team", " payments "));

        // when
        Outcome outcome = intake.submit(request, List.of());

        // then
        String id = ((Outcome.Accepted) outcome).requestId();
        assertThat(RequestIds.isValid(id)).isTrue();
        assertThat(published).singleElement().isInstanceOfSatisfying(RequestSubmitted.class, event -> {
            assertThat(event.requestId()).isEqualTo(id);
            assertThat(event.request()).isEqualTo(request.normalized());
            assertThat(event.request().name()).isEqualTo("build-agent-7");
        });
        assertThat(statuses.find(id).orElseThrow().status()).isEqualTo(RequestStatus.SUBMITTED);
    }

    @Test
    void invalidRequestIsRefusedWithOneViolationPerFieldAndNothingPublished() {
        // given a bad VPC and a key pasted into keyName, plus the edge's finding for keyName
        InstanceRequest request = new InstanceRequest("agent", "dev@example.com", "eu-west-1", "vpc-XYZ",
                "subnet-0a1b2c3d", "t3.micro", "ami-0a1b2c3d", "-----BEGIN RSA PRIVATE KEY-----", 20, null, null);
        List<FieldViolation> edge = List.of(new FieldViolation("keyName", "from the edge"),
                new FieldViolation("notes", "from the edge"));

        // when
        Outcome outcome = intake.submit(request, edge);

        // then
        assertThat(((Outcome.Refused) outcome).violations()).extracting(FieldViolation::field)
                .containsExactly("vpcId", "keyName", "notes");
        assertThat(published).isEmpty();
    }

    @Test
    void failedPublishRecordsNothing() {
        // given
        RequestIntake failing = new RequestIntake(event -> {
            throw new IllegalStateException("broker down");
        }, statuses);
        InstanceRequest request = new InstanceRequest("agent", "dev@example.com", "eu-west-1", "vpc-0a1b2c3d",
                "subnet-0a1b2c3d", "t3.micro", "ami-0a1b2c3d", "dev-laptop", 20, null, null);

        // when / then
        assertThatThrownBy(() -> failing.submit(request, List.of())).hasMessage("broker down");
        assertThat(published).isEmpty();
    }

    @Test
    void missingBodyIsRefused() {
        // when
        Outcome outcome = intake.submit(null, List.of());

        // then
        assertThat(((Outcome.Refused) outcome).violations()).extracting(FieldViolation::field)
                .containsExactly("request");
    }

    @Test
    void sameKeyAndSameRequestGetTheFirstRequestBackAndPublishNothingMore() {
        // given
        String key = UUID.randomUUID().toString();
        Outcome first = intake.submit(valid("keyed"), List.of(), key);

        // when
        Outcome second = intake.submit(valid(" keyed "), List.of(), key);

        // then
        assertThat(first).isEqualTo(new Outcome.Accepted(IdempotencyKeys.requestId("dev@example.com", key), true, RequestStatus.SUBMITTED));
        assertThat(second).isEqualTo(new Outcome.Accepted(IdempotencyKeys.requestId("dev@example.com", key), false,
                RequestStatus.SUBMITTED));
        assertThat(published).hasSize(1);
    }

    @Test
    void sameKeyWithAnotherRequestIsRefusedAsReused() {
        // given
        String key = UUID.randomUUID().toString();
        intake.submit(valid("first"), List.of(), key);

        // when
        Outcome other = intake.submit(valid("other"), List.of(), key);

        // then
        assertThat(other).isEqualTo(new Outcome.KeyReused(IdempotencyKeys.requestId("dev@example.com", key)));
        assertThat(published).hasSize(1);
    }

    @Test
    void twoRequestersUsingTheSameKeyGetTwoRequestsAndLearnNothingOfEachOther() {
        // given
        String key = "1";
        Outcome first = intake.submit(valid("mine"), List.of(), key);
        InstanceRequest base = valid("theirs");
        InstanceRequest theirs = new InstanceRequest(base.name(), "someone.else@example.com", base.region(),
                base.vpcId(), base.subnetId(), base.instanceType(), base.amiId(), base.keyName(), base.rootVolumeGiB(),
                base.securityGroupIds(), base.tags());

        // when
        Outcome second = intake.submit(theirs, List.of(), key);

        // then
        assertThat(second).isInstanceOf(Outcome.Accepted.class);
        assertThat(((Outcome.Accepted) second).created()).isTrue();
        assertThat(((Outcome.Accepted) second).requestId()).isNotEqualTo(((Outcome.Accepted) first).requestId());
        assertThat(published).hasSize(2);
    }

    @Test
    void keyStillNamesItsRequestAfterTheViewIsRebuiltFromTheTopics() {
        // given a request made under a key, and a restart: a new view folded from what was published
        String key = UUID.randomUUID().toString();
        intake.submit(valid("before-restart"), List.of(), key);
        RequestStatuses rebuilt = new RequestStatuses();
        published.forEach(rebuilt::apply);
        List<RequestEvent> publishedAfterRestart = new ArrayList<>();
        RequestIntake restarted = new RequestIntake(publishedAfterRestart::add, rebuilt);

        // when
        Outcome retry = restarted.submit(valid("before-restart"), List.of(), key);
        Outcome other = restarted.submit(valid("something-else"), List.of(), key);

        // then
        assertThat(retry).isEqualTo(new Outcome.Accepted(IdempotencyKeys.requestId("dev@example.com", key), false,
                RequestStatus.SUBMITTED));
        assertThat(other).isInstanceOf(Outcome.KeyReused.class);
        assertThat(publishedAfterRestart).isEmpty();
    }

    @Test
    void retryAfterAnUnacknowledgedPublishNamesTheSameRequest() {
        // given a first try whose publish failed (the event may or may not have reached the broker)
        String key = UUID.randomUUID().toString();
        List<RequestEvent> attempts = new ArrayList<>();
        RequestIntake flaky = new RequestIntake(event -> {
            attempts.add(event);
            if (attempts.size() == 1) {
                throw new IllegalStateException("no acknowledgement");
            }
        }, statuses);
        assertThatThrownBy(() -> flaky.submit(valid("retried"), List.of(), key));

        // when
        Outcome retry = flaky.submit(valid("retried"), List.of(), key);

        // then both attempts carry one request ID: consumers see at most a repeated submission
        assertThat(((Outcome.Accepted) retry).created()).isTrue();
        assertThat(attempts).extracting(RequestEvent::requestId).containsOnly(IdempotencyKeys.requestId("dev@example.com", key));
    }

    @Test
    void idempotencyKeysAreVisibleAsciiUpTo255Characters() {
        assertThat(IdempotencyKeys.isValid(UUID.randomUUID().toString())).isTrue();
        assertThat(IdempotencyKeys.isValid("k".repeat(255))).isTrue();
        assertThat(IdempotencyKeys.isValid("k".repeat(256))).isFalse();
        assertThat(IdempotencyKeys.isValid("")).isFalse();
        assertThat(IdempotencyKeys.isValid("two words")).isFalse();
        assertThat(IdempotencyKeys.isValid("caf\u00e9")).isFalse();
        assertThat(IdempotencyKeys.requestId("dev@example.com", "a"))
                .isEqualTo(IdempotencyKeys.requestId("Dev@Example.com ", "a"))
                .isNotEqualTo(IdempotencyKeys.requestId("dev@example.com", "b"))
                .isNotEqualTo(IdempotencyKeys.requestId("other@example.com", "a"));
        assertThat(RequestIds.isValid(IdempotencyKeys.requestId("dev@example.com", "a"))).isTrue();
    }

    private static InstanceRequest valid(String name) {
        return new InstanceRequest(name, "dev@example.com", "eu-west-1", "vpc-0a1b2c3d", "subnet-0a1b2c3d",
                "t3.micro", "ami-0a1b2c3d", "dev-laptop", 20, null, null);
    }
}
