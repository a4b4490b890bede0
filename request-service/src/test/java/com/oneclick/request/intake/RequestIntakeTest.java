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
}
