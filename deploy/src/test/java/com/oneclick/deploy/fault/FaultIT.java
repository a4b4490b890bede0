package com.oneclick.deploy.fault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oneclick.deploy.ServiceSpec;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestRejected;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.events.StackPushed;
import com.oneclick.model.json.EventJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault tests: batches of requests through the real stack (a real Kafka broker as a child process,
 * GreenMail, a bare git repository, the Terraform CLI on terraform/local, the four services from
 * their exec jars), one injected fault per test. The stack starts once for the class; each scenario
 * submits its own batch through the request API, approves it through the approval API, breaks only
 * the component it is about, and then counts per request: one inventory row in its final state, one
 * stack directory on the branch (none for a failed request, whose stack is reverted) added by one
 * commit, one instance (InstanceProvisioned) or one ProvisioningFailed, and one email of each kind.
 * It prints {@code fault <scenario>: requests=N lost=L duplicated=D} before it asserts both are 0.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultIT {

    private static final int N = 4;
    private static final Duration FLOW = Duration.ofMinutes(4);
    private static final Duration POLL = Duration.ofSeconds(1);

    /** Every consumer group and the topics it reads (from each service's application.yml / EventListener). */
    private static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("oneclick-request-status", List.of(Topics.REQUESTED, Topics.APPROVED, Topics.REJECTED,
                Topics.PROGRESS, Topics.PROVISIONED, Topics.FAILED, Topics.NOTIFIED));
        GROUPS.put("oneclick-approval", List.of(Topics.REQUESTED, Topics.APPROVED, Topics.REJECTED));
        GROUPS.put("oneclick-provisioner", List.of(Topics.APPROVED));
        GROUPS.put("oneclick-notifier", List.of(Topics.REQUESTED, Topics.APPROVED, Topics.REJECTED,
                Topics.PROVISIONED, Topics.FAILED));
    }

    /** The groups whose consumers have effects (rows, commits, builds, emails). */
    private static final List<String> EFFECT_GROUPS = List.of("oneclick-provisioner", "oneclick-notifier");

    @TempDir
    static Path temp;

    private static FaultStack stack;
    private static PublicApi api;
    private static KafkaOps kafka;
    private static Ledger ledger;
    private static long startedAt;

    @RegisterExtension
    static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (stack != null) {
                System.out.println(stack.logTails(60));
            }
        }
    };

    @BeforeAll
    static void startTheStack() throws IOException {
        startedAt = System.nanoTime();
        Path logDir = Path.of(System.getProperty("oneclick.e2e.log-dir", temp.resolve("logs").toString()))
                .resolveSibling("fault-logs");
        Files.createDirectories(logDir);
        try (var files = Files.list(logDir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        stack = FaultStack.start(temp, logDir);
        api = new PublicApi(stack);
        kafka = new KafkaOps(stack::kafkaBootstrap);
        ledger = new Ledger(stack, api, kafka);
        System.out.printf("FaultIT: stack up in %.0f s%n", seconds(startedAt));
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
        System.out.printf("FaultIT: %.0f s in all%n", seconds(startedAt));
    }

    /** A scenario that failed half-way must not leave the next one without a service. */
    @BeforeEach
    void everyServiceRuns() {
        List<ServiceSpec> down = Arrays.stream(ServiceSpec.values())
                .filter(spec -> stack.process(spec) == null || !stack.process(spec).isAlive()).toList();
        if (!down.isEmpty()) {
            stack.startServices(down);
        }
    }

    @Test
    @Order(1)
    void duplicatedApprovalAndFullReplayOfEveryTopicChangeNothing() {
        long start = System.nanoTime();
        // given a batch, approved
        List<Ledger.Planned> batch = submitAndApprove("dup", Set.of());

        // when each RequestApproved is delivered a second time (same key, headers and body) ...
        List<ConsumerRecord<byte[], byte[]>> approvals = await().atMost(FLOW).pollInterval(POLL)
                .until(() -> recordsOf(Topics.APPROVED, batch), records -> records.size() >= batch.size());
        for (ConsumerRecord<byte[], byte[]> approval : approvals) {
            RecordHeaders headers = new RecordHeaders();
            for (Header header : approval.headers()) {
                headers.add(header.key(), header.value());
            }
            kafka.publish(approval.topic(), approval.key(), approval.value(), headers);
        }
        awaitDone(batch, EFFECT_GROUPS);

        // ... and every service replays every topic it reads from offset zero
        Set<ServiceSpec> all = EnumSet.allOf(ServiceSpec.class);
        stack.stopServices(all);
        GROUPS.forEach(kafka::resetToEarliest);
        stack.startServices(all);
        awaitQuiet(List.copyOf(GROUPS.keySet()));

        // then every request was provisioned, recorded, announced and mailed exactly once
        assertNothingLostOrDuplicated("duplicate-and-replay", batch, start);
    }

    @Test
    @Order(2)
    void provisionerKilledBetweenPushAndRecordResumesFromTheInventory() {
        haltAndResume("halt-after-push", "pushed");
    }

    @Test
    @Order(3)
    void provisionerKilledBetweenBuildAndRecordResumesFromTheInventory() {
        haltAndResume("halt-after-build", "built");
    }

    @Test
    @Order(4)
    void brokerRestartedMidBatchLosesAndRepeatsNothing() {
        long start = System.nanoTime();
        // given a batch waiting for approval
        List<Ledger.Planned> batch = submit("broker", Set.of());

        // when half of it is approved, the broker stops and starts again, and the rest is approved
        batch.subList(0, N / 2).forEach(planned -> api.approve(planned.id()));
        stack.restartBroker();
        batch.subList(N / 2, N).forEach(planned -> api.approve(planned.id()));

        // then
        awaitDone(batch, EFFECT_GROUPS);
        assertNothingLostOrDuplicated("broker-restart", batch, start);
    }

    @Test
    @Order(5)
    void gitRemoteAwayLongerThanThePushRetriesDelaysTheBatchOnly() {
        long start = System.nanoTime();
        long failedPushes = stack.logLinesContaining(ServiceSpec.PROVISIONER, "failed (failure ");

        // given the remote is gone
        stack.takeRemoteAway();
        List<Ledger.Planned> batch;
        try {
            // when a batch is approved, and the provisioner gives up a whole push (all its attempts)
            batch = submitAndApprove("git", Set.of());
            await().atMost(FLOW).pollInterval(POLL).until(() ->
                    stack.logLinesContaining(ServiceSpec.PROVISIONER, "failed (failure ") > failedPushes);
        } finally {
            // and then the remote comes back
            stack.bringRemoteBack();
        }

        // then
        awaitDone(batch, EFFECT_GROUPS);
        assertNothingLostOrDuplicated("git-remote-down", batch, start);
    }

    @Test
    @Order(6)
    void smtpServerDownDelaysTheMailOnly() {
        long start = System.nanoTime();
        // given the mail server is down
        stack.mailbox.stop();
        List<Ledger.Planned> batch;
        try {
            // when a batch is approved and provisioned meanwhile
            batch = submitAndApprove("smtp", Set.of());
            await().atMost(FLOW).pollInterval(POLL).until(() -> ledger.recorded(batch));
        } finally {
            // and then the mail server comes back
            stack.mailbox.start();
        }

        // then
        awaitDone(batch, EFFECT_GROUPS);
        assertNothingLostOrDuplicated("smtp-down", batch, start);
    }

    @Test
    @Order(7)
    void poisonRecordsOnEveryTopicGoToDeadLettersAndTheBatchCompletes() {
        long start = System.nanoTime();
        // given unreadable records on every topic of the flow
        Map<String, List<String>> poisonKeysByTopic = new LinkedHashMap<>();
        for (String topic : GROUPS.get("oneclick-request-status")) {
            poisonKeysByTopic.put(topic, publishPoison(topic));
        }

        // when a batch goes through after them
        List<Ledger.Planned> batch = submitAndApprove("poison", Set.of());
        awaitDone(batch, List.copyOf(GROUPS.keySet()));

        // then each poison record is on its topic's dead-letter topic
        List<String> undead = new ArrayList<>();
        int dead = 0;
        for (var entry : poisonKeysByTopic.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> letters = kafka.readAll(Topics.deadLetter(entry.getKey()));
            for (String key : entry.getValue()) {
                byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
                if (letters.stream().anyMatch(r -> Arrays.equals(r.key(), bytes)
                        && r.headers().lastHeader("x-exception-message") != null)) {
                    dead++;
                } else {
                    undead.add(entry.getKey() + " " + key);
                }
            }
        }
        System.out.println("  (poison-records: " + dead + " poison record(s) on their .dlt topic, missing: "
                + undead + ")");
        // and the batch lost and repeated nothing
        assertNothingLostOrDuplicated("poison-records", batch, start);
        assertThat(undead).as("poison records missing from their .dlt topic").isEmpty();
    }

    @Test
    @Order(8)
    void failingApplyFailsOnlyItsRequestsAndRevertsTheirStacks() {
        long start = System.nanoTime();
        // given a batch where two requests' applies fail (terraform/local's simulated failure)
        List<Ledger.Planned> batch = submitAndApprove("apply", Set.of(1, 3));

        // then those two fail (stack reverted, FAILED mail), the others are provisioned
        awaitDone(batch, EFFECT_GROUPS);
        assertNothingLostOrDuplicated("apply-error", batch, start);
    }

    // ---- scenario steps ----

    private void haltAndResume(String scenario, String checkpoint) {
        long start = System.nanoTime();
        // given the provisioner runs with a kill switch at the checkpoint
        stack.stopServices(List.of(ServiceSpec.PROVISIONER));
        stack.startService(ServiceSpec.PROVISIONER, Map.of("ONECLICK_FAULT_HALT_AT", checkpoint));

        // when a batch is approved, the provisioner dies there (Runtime.halt) ...
        List<Ledger.Planned> batch = submitAndApprove(scenario.replace("halt-after-", "halt-"), Set.of());
        await().atMost(FLOW).pollInterval(POLL).until(() -> !stack.process(ServiceSpec.PROVISIONER).isAlive());
        assertThat(stack.process(ServiceSpec.PROVISIONER).process().exitValue())
                .as("the exit code of Runtime.halt at the checkpoint").isEqualTo(137);
        assertThat(stack.process(ServiceSpec.PROVISIONER).logTail(400))
                .contains("Halting at checkpoint '" + checkpoint + "'");

        // ... and is started again without the switch
        stack.startService(ServiceSpec.PROVISIONER, Map.of());

        // then it finishes every request of the batch, once
        awaitDone(batch, EFFECT_GROUPS);
        assertNothingLostOrDuplicated(scenario, batch, start);
    }

    private List<Ledger.Planned> submitAndApprove(String scenario, Set<Integer> failing) {
        List<Ledger.Planned> batch = submit(scenario, failing);
        batch.forEach(planned -> api.approve(planned.id()));
        return batch;
    }

    /**
     * Submits N requests (those whose index is in {@code failing} tagged to fail their apply) and waits
     * until they are pending.
     */
    private List<Ledger.Planned> submit(String scenario, Set<Integer> failing) {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Ledger.Planned> batch = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            boolean fails = failing.contains(i);
            String email = scenario + "-" + i + "-" + run + "@fault.example.com";
            Map<String, String> tags = fails ? Map.of("team", "fault", "oneclick-simulate", "apply-error")
                    : Map.of("team", "fault");
            InstanceRequest request = new InstanceRequest("fault-" + scenario + "-" + i, email, "eu-west-1",
                    "vpc-0a1b2c3d", "subnet-0a1b2c3d", "t3.micro", "ami-0a1b2c3d", "fault-key", 8,
                    List.of("sg-0a1b2c3d"), tags);
            batch.add(new Ledger.Planned(api.submit(request), email, fails));
        }
        api.awaitPending(batch.stream().map(Ledger.Planned::id).toList());
        return batch;
    }

    private static void awaitDone(List<Ledger.Planned> batch, List<String> groups) {
        await().atMost(FLOW).pollInterval(POLL).ignoreExceptions().until(() -> ledger.finished(batch));
        awaitQuiet(groups);
    }

    /** Every group has read (committed) up to the end of every topic it reads: nothing is still on its way. */
    private static void awaitQuiet(List<String> groups) {
        await().atMost(FLOW).pollInterval(POLL).ignoreExceptions().untilAsserted(() -> {
            for (String group : groups) {
                assertThat(kafka.lag(group, GROUPS.get(group))).as("lag of %s", group).isZero();
            }
        });
    }

    private static void assertNothingLostOrDuplicated(String scenario, List<Ledger.Planned> batch, long start) {
        Ledger.Result result = ledger.tally(scenario, batch);
        System.out.println(result.line());
        System.out.printf("  (%s took %.0f s)%n", scenario, seconds(start));
        result.findings().forEach(finding -> System.out.println("  " + finding));
        assertThat(result.lost()).as("lost requests: %s", result.findings()).isZero();
        assertThat(result.duplicated()).as("duplicated effects: %s", result.findings()).isZero();
    }

    private static List<ConsumerRecord<byte[], byte[]>> recordsOf(String topic, List<Ledger.Planned> batch) {
        Set<String> ids = Set.copyOf(batch.stream().map(Ledger.Planned::id).toList());
        return kafka.readAll(topic).stream()
                .filter(r -> r.key() != null && ids.contains(new String(r.key(), StandardCharsets.UTF_8)))
                .toList();
    }

    // ---- poison ----

    /**
     * Four unreadable records on the topic, each under a fresh request ID as key: bad JSON, an
     * unknown eventType header, an unsupported schemaVersion, and an event that breaks the rules (its
     * request fails validation; for events without a request, its request ID is not one).
     */
    private static List<String> publishPoison(String topic) {
        List<String> keys = new ArrayList<>();
        RequestEvent sample = sampleEvent(topic);
        String type = new String(EventJson.typeHeader(sample), StandardCharsets.UTF_8);

        keys.add(poison(topic, type, "{\"eventId\": \"not json".getBytes(StandardCharsets.UTF_8)));
        keys.add(poison(topic, "NoSuchEvent", EventJson.write(sample)));
        ObjectNode newer = (ObjectNode) EventJson.mapper().valueToTree(sample);
        newer.put("schemaVersion", 99);
        keys.add(poison(topic, type, newer.toString().getBytes(StandardCharsets.UTF_8)));
        ObjectNode invalid = (ObjectNode) EventJson.mapper().valueToTree(sample);
        if (invalid.has("request")) {
            ((ObjectNode) invalid.get("request")).put("region", "moon-base-1");
        } else {
            invalid.put("requestId", "../../etc/passwd");
        }
        keys.add(poison(topic, type, invalid.toString().getBytes(StandardCharsets.UTF_8)));
        return keys;
    }

    private static String poison(String topic, String type, byte[] body) {
        String key = RequestIds.newId();
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventJson.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        kafka.publish(topic, key.getBytes(StandardCharsets.UTF_8), body, headers);
        return key;
    }

    /** A well-formed event of the topic's type for a request nobody submitted. */
    private static RequestEvent sampleEvent(String topic) {
        String id = RequestIds.newId();
        InstanceRequest request = new InstanceRequest("fault-poison", "poison@fault.example.com", "eu-west-1",
                "vpc-0a1b2c3d", "subnet-0a1b2c3d", "t3.micro", "ami-0a1b2c3d", "fault-key", 8,
                List.of("sg-0a1b2c3d"), Map.of());
        return switch (topic) {
            case Topics.REQUESTED -> RequestSubmitted.of(id, request);
            case Topics.APPROVED -> RequestApproved.of(id, "poisoner", null, request);
            case Topics.REJECTED -> RequestRejected.of(id, "poisoner", "no", request);
            case Topics.PROGRESS -> StackPushed.of(id, "0".repeat(40), "main", "stacks/" + id);
            case Topics.PROVISIONED -> InstanceProvisioned.of(id, "i-0123456789abcdef0", "fault-poison", "10.0.0.1",
                    "eu-west-1a", true, "0".repeat(40), "local-" + id, request);
            case Topics.FAILED -> ProvisioningFailed.of(id, "build", "no", request);
            case Topics.NOTIFIED -> NotificationSent.of(id, "RECEIVED", UUID.randomUUID(), "poison@fault.example.com");
            default -> throw new IllegalArgumentException("no sample event for " + topic);
        };
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
