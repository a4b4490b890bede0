package com.oneclick.request.web;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.events.StackPushed;
import com.oneclick.request.status.RequestStatuses;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class StatusPageTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final InstanceRequest REQUEST = new InstanceRequest("build-agent-7", "dev@example.com",
            "eu-west-1", "vpc-0a1b2c3d", "subnet-0a1b2c3d", "t3.micro", "ami-0a1b2c3d", "dev-laptop", 20,
            List.of(), Map.of());

    private final RequestStatuses statuses = new RequestStatuses();
    private final String id = RequestIds.newId();

    @Test
    void aTimeToLiveIsShownInHoursAndInDaysOrWeeksWhenItIsWhole() {
        assertThat(StatusPage.timeToLive(null)).isNull();
        assertThat(StatusPage.timeToLive(1)).isEqualTo("1 hour");
        assertThat(StatusPage.timeToLive(8)).isEqualTo("8 hours");
        assertThat(StatusPage.timeToLive(24)).isEqualTo("24 hours (1 day)");
        assertThat(StatusPage.timeToLive(168)).isEqualTo("168 hours (1 week)");
        assertThat(StatusPage.timeToLive(336)).isEqualTo("336 hours (2 weeks)");
        assertThat(StatusPage.timeToLive(720)).isEqualTo("720 hours (30 days)");
        assertThat(StatusPage.timeToLive(2160)).isEqualTo("2160 hours (90 days)");
    }

    @Test
    void submittedRequestWaitsForApprovalWithTheRestOfThePathAhead() {
        // given
        statuses.apply(new RequestSubmitted(UUID.randomUUID(), id, T0, 1, REQUEST));
        statuses.apply(new NotificationSent(UUID.randomUUID(), id, T0.plusSeconds(1), 1, "RECEIVED", UUID.randomUUID(),
                "dev@example.com"));

        // when
        StatusPage page = page();

        // then
        assertThat(page.statusLabel()).isEqualTo("Waiting for approval");
        assertThat(page.finished()).isFalse();
        assertThat(states(page)).containsExactly("SUBMITTED:done", "APPROVED:current", "PUSHED:pending",
                "BUILDING:pending", "PROVISIONED:pending", "EMAILED:pending");
        assertThat(page.steps().get(0).atText()).isEqualTo("2026-01-05 10:00:00 UTC");
        assertThat(page.history()).extracting(StatusPage.HistoryEntry::detail)
                .containsExactly("by dev@example.com", "'request received' email sent");
    }

    @Test
    void rejectedRequestEndsWithTheRejectionAndItsEmail() {
        // given
        statuses.apply(new RequestSubmitted(UUID.randomUUID(), id, T0, 1, REQUEST));
        statuses.apply(new RequestRejected(UUID.randomUUID(), id, T0.plusSeconds(5), 1, "alice",
                "use the shared runner", null, REQUEST));

        // when
        StatusPage before = page();
        statuses.apply(new NotificationSent(UUID.randomUUID(), id, T0.plusSeconds(6), 1, "REJECTED",
                UUID.randomUUID(), "dev@example.com"));
        StatusPage after = page();

        // then
        assertThat(states(before)).containsExactly("SUBMITTED:done", "REJECTED:failed", "EMAILED:current");
        assertThat(before.finished()).isFalse();
        assertThat(before.reason()).isEqualTo("use the shared runner");
        assertThat(states(after)).containsExactly("SUBMITTED:done", "REJECTED:failed", "EMAILED:done");
        assertThat(after.finished()).isTrue();
    }

    @Test
    void failedBuildShowsTheStepsReachedThenTheFailure() {
        // given
        statuses.apply(new RequestSubmitted(UUID.randomUUID(), id, T0, 1, REQUEST));
        statuses.apply(new RequestApproved(UUID.randomUUID(), id, T0.plusSeconds(1), 1, "alice", null, null, null,
                REQUEST));
        statuses.apply(new StackPushed(UUID.randomUUID(), id, T0.plusSeconds(2), 1, "abc", "main", "stacks/" + id));
        statuses.apply(new ProvisioningFailed(UUID.randomUUID(), id, T0.plusSeconds(3), 1, "build",
                "Error: Invalid value", REQUEST));

        // when
        StatusPage page = page();

        // then
        assertThat(page.statusLabel()).isEqualTo("Failed");
        assertThat(page.reason()).isEqualTo("Error: Invalid value");
        assertThat(states(page)).containsExactly("SUBMITTED:done", "APPROVED:done", "PUSHED:done", "FAILED:failed",
                "EMAILED:current");
    }

    @Test
    void stepSeenOnlyThroughALaterOneCountsAsDoneWithoutATime() {
        // given the build event arrived, the push event not (yet)
        statuses.apply(new RequestSubmitted(UUID.randomUUID(), id, T0, 1, REQUEST));
        statuses.apply(new RequestApproved(UUID.randomUUID(), id, T0.plusSeconds(1), 1, "alice", null, null, null,
                REQUEST));
        statuses.apply(new BuildStarted(UUID.randomUUID(), id, T0.plusSeconds(3), 1, "b-1", "local"));

        // when
        StatusPage page = page();

        // then
        assertThat(states(page)).containsExactly("SUBMITTED:done", "APPROVED:done", "PUSHED:done", "BUILDING:done",
                "PROVISIONED:current", "EMAILED:pending");
        assertThat(page.steps().get(2).at()).isNull();
    }

    @Test
    void provisionedRequestIsFinishedOnceItsEmailWent() {
        // given
        statuses.apply(new RequestSubmitted(UUID.randomUUID(), id, T0, 1, REQUEST));
        statuses.apply(new InstanceProvisioned(UUID.randomUUID(), id, T0.plusSeconds(9), 1, "i-0a1b2c3d",
                "build-agent-7", "10.0.0.7", "eu-west-1a", true, "abc", "b-1", REQUEST));
        statuses.apply(new NotificationSent(UUID.randomUUID(), id, T0.plusSeconds(10), 1, "PROVISIONED",
                UUID.randomUUID(), "dev@example.com"));

        // when
        StatusPage page = page();

        // then
        assertThat(page.finished()).isTrue();
        assertThat(page.instance().instanceId()).isEqualTo("i-0a1b2c3d");
        assertThat(page.steps().get(5).detail()).isEqualTo("'instance ready' email sent");
    }

    @Test
    void parametersAreShownWithTheCatalogsLabelsInItsOrderAndAListWithSpaces() {
        // given parameters in another order than the catalog's
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        parameters.put("instances", "2");
        parameters.put("subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d");
        InstanceRequest aurora = InstanceRequest.forProduct("aurora-mysql", "orders-db", "dev@example.com",
                "eu-west-1", "vpc-0a1b2c3d", List.of(), Map.of(), null, parameters);
        InstanceRequest unknown = InstanceRequest.forProduct("s3-bucket", "logs", "dev@example.com", "eu-west-1",
                "vpc-0a1b2c3d", List.of(), Map.of(), null, Map.of("versioning", "on"));

        // when / then
        assertThat(StatusPage.productTitle(aurora)).isEqualTo("Aurora MySQL cluster");
        assertThat(StatusPage.parameters(aurora)).containsExactly(
                new StatusPage.Detail("Subnets", "subnet-0a1b2c3d, subnet-1a2b3c4d"),
                new StatusPage.Detail("Instances", "2"));
        assertThat(StatusPage.productTitle(unknown)).isEqualTo("s3-bucket");
        assertThat(StatusPage.parameters(unknown)).containsExactly(new StatusPage.Detail("versioning", "on"));
        assertThat(StatusPage.parameters(REQUEST)).isEmpty();
    }

    private StatusPage page() {
        return StatusPage.of(statuses.find(id).orElseThrow());
    }

    private static List<String> states(StatusPage page) {
        return page.steps().stream().map(step -> step.step() + ":" + step.state()).toList();
    }
}
