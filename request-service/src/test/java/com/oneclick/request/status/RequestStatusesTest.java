package com.oneclick.request.status;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.events.StackPushed;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RequestStatusesTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final InstanceRequest REQUEST = new InstanceRequest("build-agent-7", "dev@example.com",
            "eu-west-1", "vpc-0a1b2c3d", "subnet-0a1b2c3d", "t3.micro", "ami-0a1b2c3d", "dev-laptop", 20,
            List.of(), Map.of());
    private static final InstanceRequest AURORA = InstanceRequest.forProduct("aurora-mysql", "orders-db",
            "dev@example.com", "eu-west-1", "vpc-0a1b2c3d", List.of(), Map.of(), null, Map.of(
                    "subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d", "instanceClass", "db.t4g.medium",
                    "engineVersion", "8.0.mysql_aurora.3.08.0", "instances", "1", "databaseName", "orders",
                    "masterUsername", "admin", "backupRetentionDays", "7"));

    private final RequestStatuses statuses = new RequestStatuses();
    private final String id = RequestIds.newId();

    @Test
    void followsTheFlowToProvisionedWithTheInstanceAndATimeOrderedTimeline() {
        // given
        List<RequestEvent> flow = List.of(submitted(0), approved(1), pushed(2), building(3), provisioned(4),
                notified(5, "PROVISIONED"));

        // when
        flow.forEach(statuses::apply);

        // then
        RequestView view = statuses.find(id).orElseThrow();
        assertThat(view.status()).isEqualTo(RequestStatus.PROVISIONED);
        assertThat(view.request()).isEqualTo(REQUEST);
        assertThat(view.product()).isEqualTo("ec2-instance");
        assertThat(view.instance()).isEqualTo(new InstanceView("i-0123456789abcdef0", "build-agent-7", "10.0.1.17",
                "eu-west-1a", true, List.of(
                new InstanceView.OutputValue("instance_id", "Instance ID", "i-0123456789abcdef0"),
                new InstanceView.OutputValue("instance_name", "Name", "build-agent-7"),
                new InstanceView.OutputValue("private_ip", "Private IP", "10.0.1.17"),
                new InstanceView.OutputValue("availability_zone", "Availability zone", "eu-west-1a"))));
        assertThat(view.reason()).isNull();
        assertThat(view.timeline()).extracting(TimelineEntry::step)
                .containsExactly("SUBMITTED", "APPROVED", "PUSHED", "BUILDING", "PROVISIONED", "EMAILED");
        assertThat(view.timeline()).extracting(TimelineEntry::event).containsExactly("RequestSubmitted",
                "RequestApproved", "StackPushed", "BuildStarted", "InstanceProvisioned", "NotificationSent");
        assertThat(view.timeline().get(5).detail()).isEqualTo("PROVISIONED");
        assertThat(view.timeline().get(1).at()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void provisionedAuroraClusterShowsItsOutputsWithTheCatalogsLabelsInTheCatalogsOrder() {
        // given a cluster whose event lists its outputs in another order, plus one the catalog does not know
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("port", "3306");
        outputs.put("endpoint", "orders-db.cluster-abc.eu-west-1.rds.amazonaws.com");
        outputs.put("cluster_name", "orders-db");
        outputs.put("cluster_identifier", "oneclick-" + id.substring(0, 8));
        outputs.put("extra_output", "kept");
        statuses.apply(new RequestSubmitted(UUID.randomUUID(), id, T0, 1, AURORA));

        // when
        statuses.apply(new InstanceProvisioned(UUID.randomUUID(), id, T0.plusSeconds(4), 1,
                "oneclick-" + id.substring(0, 8), "orders-db", null, null, true, "abc123", "build-1", AURORA,
                outputs));

        // then
        RequestView view = statuses.find(id).orElseThrow();
        assertThat(view.product()).isEqualTo("aurora-mysql");
        assertThat(view.instance().outputs()).extracting(InstanceView.OutputValue::label).containsExactly(
                "Cluster", "Name", "Writer endpoint", "Port", "extra_output");
        assertThat(view.instance().outputs()).extracting(InstanceView.OutputValue::value).containsExactly(
                "oneclick-" + id.substring(0, 8), "orders-db", "orders-db.cluster-abc.eu-west-1.rds.amazonaws.com",
                "3306", "kept");
        assertThat(view.instance().privateIp()).isNull();
    }

    @Test
    void sameEventTwiceAddsOneTimelineEntry() {
        // given
        NotificationSent received = notified(1, "RECEIVED");
        statuses.apply(submitted(0));
        statuses.apply(received);

        // when
        boolean appliedAgain = statuses.apply(received);

        // then
        assertThat(appliedAgain).isFalse();
        assertThat(statuses.find(id).orElseThrow().timeline()).hasSize(2);
    }

    @Test
    void lateEventNeverMovesTheStatusBackButTakesItsPlaceInTheTimeline() {
        // given
        statuses.apply(provisioned(4));
        statuses.apply(building(3));

        // when
        statuses.apply(approved(1));
        statuses.apply(submitted(0));

        // then
        RequestView view = statuses.find(id).orElseThrow();
        assertThat(view.status()).isEqualTo(RequestStatus.PROVISIONED);
        assertThat(view.timeline()).extracting(TimelineEntry::step)
                .containsExactly("SUBMITTED", "APPROVED", "BUILDING", "PROVISIONED");
    }

    @Test
    void emailDoesNotChangeTheStatus() {
        // given
        statuses.apply(submitted(0));
        statuses.apply(approved(1));

        // when
        statuses.apply(notified(2, "APPROVED"));

        // then
        assertThat(statuses.find(id).orElseThrow().status()).isEqualTo(RequestStatus.APPROVED);
    }

    @Test
    void requestFirstSeenThroughALaterEventStillShowsTheRequest() {
        // given an approval read before the submission (they come from different topics)

        // when
        statuses.apply(approved(1));

        // then
        RequestView view = statuses.find(id).orElseThrow();
        assertThat(view.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(view.request()).isEqualTo(REQUEST);
    }

    @Test
    void thePushedStepSaysWhenTheInstanceExpires() {
        // given
        statuses.apply(submitted(0));
        statuses.apply(approved(1));

        // when
        statuses.apply(new StackPushed(UUID.randomUUID(), id, T0.plusSeconds(2), 1, "abc123", "main", "stacks/" + id,
                Instant.parse("2026-01-06T10:00:01Z")));

        // then
        assertThat(statuses.find(id).orElseThrow().timeline().get(2).detail())
                .isEqualTo("commit abc123 on main; the instance expires at 2026-01-06T10:00:01Z");
    }

    @Test
    void rejectionShowsTheReason() {
        // given
        statuses.apply(submitted(0));

        // when
        statuses.apply(new RequestRejected(UUID.randomUUID(), id, T0.plusSeconds(1), 1, "alice", "too big", null,
                REQUEST));

        // then
        RequestView view = statuses.find(id).orElseThrow();
        assertThat(view.status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(view.reason()).isEqualTo("too big");
        assertThat(view.timeline().get(1).detail()).isEqualTo("by alice: too big");
    }

    @Test
    void failureShowsTheReasonAndEndsTheFlow() {
        // given
        statuses.apply(submitted(0));
        statuses.apply(approved(1));

        // when
        statuses.apply(new ProvisioningFailed(UUID.randomUUID(), id, T0.plusSeconds(2), 1, "push",
                "remote unreachable", REQUEST));
        statuses.apply(building(3));

        // then
        RequestView view = statuses.find(id).orElseThrow();
        assertThat(view.status()).isEqualTo(RequestStatus.FAILED);
        assertThat(view.reason()).isEqualTo("remote unreachable");
        assertThat(view.instance()).isNull();
    }

    @Test
    void unknownRequestIsNotFound() {
        assertThat(statuses.find(RequestIds.newId())).isEmpty();
    }

    @Test
    void repeatedSubmissionOfOneRequestKeepsTheFirstAndAddsNoStep() {
        // given a retry under an idempotency key published the submission twice (two event IDs)
        statuses.apply(submitted(0));
        InstanceRequest other = new InstanceRequest("renamed", "dev@example.com", "eu-west-1", "vpc-0a1b2c3d",
                "subnet-0a1b2c3d", "t3.micro", "ami-0a1b2c3d", "dev-laptop", 20, List.of(), Map.of());

        // when
        boolean changed = statuses.apply(new RequestSubmitted(UUID.randomUUID(), id, T0.plusSeconds(1), 1, other));

        // then
        assertThat(changed).isFalse();
        RequestView view = statuses.find(id).orElseThrow();
        assertThat(view.request()).isEqualTo(REQUEST);
        assertThat(view.timeline()).hasSize(1);
    }

    @Test
    void listsARequestersRequestsNewestFirstIgnoringCase() {
        // given
        String older = RequestIds.newId();
        String newer = RequestIds.newId();
        statuses.apply(new RequestSubmitted(UUID.randomUUID(), older, T0, 1, REQUEST));
        statuses.apply(new RequestSubmitted(UUID.randomUUID(), newer, T0.plusSeconds(60), 1, REQUEST));
        statuses.apply(new RequestSubmitted(UUID.randomUUID(), RequestIds.newId(), T0, 1,
                new InstanceRequest("x", "someone@example.com", "eu-west-1", "vpc-0a1b2c3d", "subnet-0a1b2c3d",
                        "t3.micro", "ami-0a1b2c3d", "k", 20, List.of(), Map.of())));

        // when
        List<RequestView> mine = statuses.byRequester("DEV@example.com");

        // then
        assertThat(mine).extracting(RequestView::requestId).containsExactly(newer, older);
    }

    private RequestSubmitted submitted(int second) {
        return new RequestSubmitted(UUID.randomUUID(), id, T0.plusSeconds(second), 1, REQUEST);
    }

    private RequestApproved approved(int second) {
        return new RequestApproved(UUID.randomUUID(), id, T0.plusSeconds(second), 1, "alice", "ok", null, null, REQUEST);
    }

    private StackPushed pushed(int second) {
        return new StackPushed(UUID.randomUUID(), id, T0.plusSeconds(second), 1, "abc123", "main", "stacks/" + id);
    }

    private BuildStarted building(int second) {
        return new BuildStarted(UUID.randomUUID(), id, T0.plusSeconds(second), 1, "build-1", "local");
    }

    private InstanceProvisioned provisioned(int second) {
        return new InstanceProvisioned(UUID.randomUUID(), id, T0.plusSeconds(second), 1, "i-0123456789abcdef0",
                "build-agent-7", "10.0.1.17", "eu-west-1a", true, "abc123", "build-1", REQUEST);
    }

    private NotificationSent notified(int second, String kind) {
        return new NotificationSent(UUID.randomUUID(), id, T0.plusSeconds(second), 1, kind, UUID.randomUUID(),
                "dev@example.com");
    }
}
