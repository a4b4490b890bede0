package com.oneclick.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.EventType;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.events.StackPushed;
import com.oneclick.model.json.EventJson;
import com.oneclick.model.json.UnreadableEventException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static com.oneclick.model.Fixtures.validRequest;
import static com.oneclick.model.Fixtures.validRequestWithTimeToLive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wire format is a contract: each event's JSON is pinned by a golden file under
 * {@code src/test/resources/golden}. A change that breaks a consumer breaks this test.
 */
class EventJsonTest {

    private static final UUID EVENT_ID = UUID.fromString("6f1c7d4e-2a0b-4c57-9a51-0d3e8b7f2c10");
    private static final UUID SOURCE_ID = UUID.fromString("0b8e4a52-91d7-4f3e-8c2a-5d6f7e8a9b0c");
    private static final String REQUEST_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final Instant AT = Instant.parse("2026-11-22T09:30:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<RequestEvent> goldenEvents() {
        return Stream.of(
                // the one golden request with a time-to-live; every other golden file is written without it
                new RequestSubmitted(EVENT_ID, REQUEST_ID, AT, 1, validRequestWithTimeToLive()),
                new RequestApproved(EVENT_ID, REQUEST_ID, AT, 1, "approver", "ok for the sprint", "large-instances",
                        List.of("lead", "approver"), validRequest()),
                new RequestRejected(EVENT_ID, REQUEST_ID, AT, 1, "approver", "use the shared runner", null,
                        validRequest()),
                new ApprovalRequested(EVENT_ID, REQUEST_ID, AT, 1, List.of("approver@example.com"), 2,
                        List.of("lead"), "large-instances", "fine by me", validRequest()),
                new StackPushed(EVENT_ID, REQUEST_ID, AT, 1, "9fceb02d0ae598e95dc970b74767f19372d61af8", "main",
                        "stacks/" + REQUEST_ID,
                        Instant.parse("2026-11-29T09:30:00Z")),
                new BuildStarted(EVENT_ID, REQUEST_ID, AT, 1, "local-" + REQUEST_ID, "local"),
                new InstanceProvisioned(EVENT_ID, REQUEST_ID, AT, 1, "i-0a1b2c3d4e5f67890", "build-agent-7",
                        "10.0.12.34", "eu-west-1b", true, "9fceb02d0ae598e95dc970b74767f19372d61af8",
                        "local-" + REQUEST_ID, validRequest(), ec2Outputs()),
                new ProvisioningFailed(EVENT_ID, REQUEST_ID, AT, 1, "build", "Error: Invalid value for variable",
                        validRequest()),
                new NotificationSent(EVENT_ID, REQUEST_ID, AT, 1, "PROVISIONED", SOURCE_ID, "dev@example.com"));
    }

    @ParameterizedTest
    @MethodSource("goldenEvents")
    void writesEachEventAsItsGoldenFile(RequestEvent event) throws IOException {
        JsonNode written = JSON.readTree(EventJson.write(event));

        assertThat(written).isEqualTo(golden(event.type()));
    }

    @ParameterizedTest
    @MethodSource("goldenEvents")
    void readsEachGoldenFileBackToTheSameEvent(RequestEvent event) throws IOException {
        byte[] body = JSON.writeValueAsBytes(golden(event.type()));

        RequestEvent read = EventJson.read(event.type().wireName().getBytes(StandardCharsets.UTF_8), body);

        assertThat(read).isEqualTo(event);
    }

    @Test
    void everyEventTypeHasAGoldenFile() {
        assertThat(goldenEvents().map(RequestEvent::type)).containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void theTypeHeaderCarriesTheLogicalNameNotAJavaClass() {
        RequestEvent event = goldenEvents().findFirst().orElseThrow();

        assertThat(new String(EventJson.typeHeader(event), StandardCharsets.UTF_8)).isEqualTo("RequestSubmitted");
    }

    @Test
    void eachEventGoesToItsTopic() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::topic)).containsOnly(Topics.REQUESTED,
                Topics.APPROVED, Topics.REJECTED, Topics.AWAITING_APPROVAL, Topics.PROGRESS, Topics.PROVISIONED, Topics.FAILED, Topics.NOTIFIED);
        assertThat(EventType.INSTANCE_PROVISIONED.topic()).isEqualTo("oneclick.provisioned");
        assertThat(Topics.deadLetter(Topics.APPROVED)).isEqualTo("oneclick.approved.dlt");
    }

    private static Map<String, String> ec2Outputs() {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("instance_id", "i-0a1b2c3d4e5f67890");
        outputs.put("instance_name", "build-agent-7");
        outputs.put("private_ip", "10.0.12.34");
        outputs.put("availability_zone", "eu-west-1b");
        return outputs;
    }

    @Test
    void readsARequestWrittenBeforeProductsExistedAsAnEc2Instance() throws IOException {
        ObjectNode node = (ObjectNode) golden(EventType.REQUEST_SUBMITTED);
        ((ObjectNode) node.get("request")).remove("product");

        RequestSubmitted read = EventJson.readAs(RequestSubmitted.class, JSON.writeValueAsBytes(node));

        assertThat(read.request().product()).isEqualTo("ec2-instance");
        assertThat(read.request().parameters()).isEmpty();
    }

    @Test
    void readsAProvisionedEventWrittenBeforeOutputsExistedWithNoOutputs() throws IOException {
        ObjectNode node = (ObjectNode) golden(EventType.INSTANCE_PROVISIONED);
        node.remove("outputs");

        InstanceProvisioned read = EventJson.readAs(InstanceProvisioned.class, JSON.writeValueAsBytes(node));

        assertThat(read.outputs()).isEmpty();
        assertThat(read.instanceId()).isEqualTo("i-0a1b2c3d4e5f67890");
    }

    @Test
    void carriesAnAuroraRequestWithItsParametersAndRefusesOneThatBreaksTheirRules() throws IOException {
        RequestSubmitted submitted = new RequestSubmitted(EVENT_ID, REQUEST_ID, AT, 1, Fixtures.validAuroraRequest());

        RequestSubmitted read = EventJson.readAs(RequestSubmitted.class, EventJson.write(submitted));
        ObjectNode node = (ObjectNode) JSON.readTree(EventJson.write(submitted));
        ((ObjectNode) node.get("request").get("parameters")).put("instances", "9");

        assertThat(read).isEqualTo(submitted);
        assertThat(read.request().parameters()).containsEntry("subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d");
        assertThatThrownBy(() -> EventJson.readAs(RequestSubmitted.class, JSON.writeValueAsBytes(node)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("parameters[instances] must be a whole number from 1 to 3");
    }

    @Test
    void readsAnApprovalWrittenBeforePolicyAndApproversExistedAsOnePersonsDecision() throws IOException {
        ObjectNode node = (ObjectNode) golden(EventType.REQUEST_APPROVED);
        node.remove("policy");
        node.remove("approvers");

        RequestApproved read = EventJson.readAs(RequestApproved.class, JSON.writeValueAsBytes(node));

        assertThat(read.policy()).isNull();
        assertThat(read.approvers()).containsExactly("approver");
    }

    @Test
    void refusesAnApprovalRequestWithoutApproversOrWithABadAddress() throws IOException {
        ObjectNode none = (ObjectNode) golden(EventType.APPROVAL_REQUESTED);
        none.putArray("approverEmails");
        ObjectNode bad = (ObjectNode) golden(EventType.APPROVAL_REQUESTED);
        bad.putArray("approverEmails").add("approver@example.com").add("eve@example.com\r\nBcc: all@example.com");

        assertThatThrownBy(() -> EventJson.readAs(ApprovalRequested.class, JSON.writeValueAsBytes(none)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("no approver");
        assertThatThrownBy(() -> EventJson.readAs(ApprovalRequested.class, JSON.writeValueAsBytes(bad)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("approverEmails[1]");
    }

    @Test
    void carriesTheTimeToLiveAndLeavesItOutWhenThereIsNone() throws IOException {
        JsonNode with = JSON.readTree(EventJson.write(RequestSubmitted.of(REQUEST_ID, validRequestWithTimeToLive())));
        JsonNode without = JSON.readTree(EventJson.write(RequestSubmitted.of(REQUEST_ID, validRequest())));

        assertThat(with.get("request").get("timeToLiveHours").intValue()).isEqualTo(168);
        assertThat(without.get("request").has("timeToLiveHours")).isFalse();
    }

    @Test
    void readsARequestWrittenBeforeTheTimeToLiveExistedAsOneWithoutExpiry() throws IOException {
        JsonNode old = golden(EventType.REQUEST_APPROVED);
        assertThat(old.get("request").has("timeToLiveHours")).isFalse();

        RequestApproved read = EventJson.readAs(RequestApproved.class, JSON.writeValueAsBytes(old));

        assertThat(read.request().timeToLiveHours()).isNull();
        assertThat(read.request()).isEqualTo(validRequest());
    }

    @Test
    void refusesATimeToLiveOutOfRangeOnTheTopic() throws IOException {
        ObjectNode node = (ObjectNode) golden(EventType.REQUEST_SUBMITTED);
        ((ObjectNode) node.get("request")).put("timeToLiveHours", 3000);

        assertThatThrownBy(() -> EventJson.read("RequestSubmitted", JSON.writeValueAsBytes(node)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("timeToLiveHours");
    }

    @Test
    void ignoresFieldsItDoesNotKnowSoProducersCanAddThem() throws IOException {
        ObjectNode node = (ObjectNode) golden(EventType.REQUEST_SUBMITTED);
        node.put("addedLater", "x");

        RequestEvent read = EventJson.read("RequestSubmitted", JSON.writeValueAsBytes(node));

        assertThat(read.requestId()).isEqualTo(REQUEST_ID);
    }

    @Test
    void refusesAnUnknownSchemaVersion() throws IOException {
        ObjectNode node = (ObjectNode) golden(EventType.REQUEST_APPROVED);
        node.put("schemaVersion", 2);

        assertThatThrownBy(() -> EventJson.read("RequestApproved", JSON.writeValueAsBytes(node)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("schemaVersion 2");
    }

    @Test
    void refusesAMissingOrUnknownTypeHeader() {
        byte[] body = EventJson.write(goldenEvents().findFirst().orElseThrow());

        assertThatThrownBy(() -> EventJson.read(null, body)).isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("eventType");
        assertThatThrownBy(() -> EventJson.read("com.oneclick.model.events.RequestSubmitted", body))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("unknown event type");
    }

    @Test
    void refusesBodiesThatAreNotJsonOrEmpty() {
        assertThatThrownBy(() -> EventJson.read("RequestApproved", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("not a valid RequestApproved");
        assertThatThrownBy(() -> EventJson.read("RequestApproved", new byte[0]))
                .isInstanceOf(UnreadableEventException.class);
        assertThatThrownBy(() -> EventJson.read("RequestApproved", "null".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class);
    }

    @Test
    void refusesARequestThatBreaksTheRulesEvenOnTheTopic() throws IOException {
        ObjectNode node = (ObjectNode) golden(EventType.REQUEST_APPROVED);
        ((ObjectNode) node.get("request")).put("keyName", "-----BEGIN RSA PRIVATE KEY-----");

        assertThatThrownBy(() -> EventJson.read("RequestApproved", JSON.writeValueAsBytes(node)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("keyName");
    }

    @Test
    void refusesARequestIdThatCouldEscapeAStackDirectory() throws IOException {
        ObjectNode node = (ObjectNode) golden(EventType.REQUEST_APPROVED);
        node.put("requestId", "../../etc");

        assertThatThrownBy(() -> EventJson.read("RequestApproved", JSON.writeValueAsBytes(node)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("requestId");
    }

    @Test
    void aNewEventGetsAFreshEnvelope() {
        RequestSubmitted first = RequestSubmitted.of(REQUEST_ID, validRequest());
        RequestSubmitted second = RequestSubmitted.of(REQUEST_ID, validRequest());

        assertThat(first.eventId()).isNotEqualTo(second.eventId());
        assertThat(first.schemaVersion()).isEqualTo(RequestEvent.SCHEMA_VERSION);
        assertThat(List.of(first.occurredAt(), second.occurredAt())).doesNotContainNull();
    }

    private static JsonNode golden(EventType type) throws IOException {
        String path = "/golden/" + type.wireName() + ".json";
        try (InputStream in = EventJsonTest.class.getResourceAsStream(path)) {
            assertThat(in).as("golden file %s", path).isNotNull();
            return JSON.readTree(in);
        }
    }
}
