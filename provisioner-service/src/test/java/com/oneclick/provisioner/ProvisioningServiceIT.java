package com.oneclick.provisioner;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.StackPushed;
import com.oneclick.provisioner.git.DeletedPackWarnings;
import com.oneclick.provisioner.inventory.CsvInventory;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.inventory.RowStatus;
import com.oneclick.provisioner.support.Fixtures;
import com.oneclick.provisioner.support.ProvisionerTestContext;
import com.oneclick.testsupport.KafkaTestClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service as deployed: a real Kafka broker (KafkaSupport), a bare git repository as the remote,
 * the real Terraform CLI on the modules in terraform/local. The broker is shared by the JVM, so each test uses
 * its own request IDs.
 *
 * <p>The context is closed after the class: ProvisioningFailureIT runs another one (on a failing
 * module) in the same consumer group, and two live contexts would share oneclick.approved's partitions.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ProvisioningServiceIT {

    private static final Path ROOT;
    private static final Path BARE;
    private static final Path MODULES = Path.of("..", "terraform", "local").toAbsolutePath().normalize();
    private static final String GROUP = "oneclick-provisioner";
    private static final Duration WAIT = Duration.ofSeconds(90);

    static {
        try {
            ROOT = Files.createTempDirectory("provisioner-it");
            BARE = ROOT.resolve("remote.git");
            Git.init().setBare(true).setInitialBranch("main").setDirectory(BARE.toFile()).call().close();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Autowired
    CsvInventory inventory;

    @Autowired
    TestRestTemplate http;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ProvisionerTestContext.register(registry, () -> ROOT.resolve("data"), () -> BARE, () -> MODULES);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        FileSystemUtils.deleteRecursively(ROOT);
    }

    @Test
    void theServicesLoggingDropsJGitsWarningsAboutPacksAGcDeleted() {
        // when
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

        // then: logback-spring.xml was read
        assertThat(context.getTurboFilterList()).hasAtLeastOneElementOfType(DeletedPackWarnings.class);
    }

    @Test
    void anApprovedRequestBecomesASimulatedInstanceInTheCsvTheRepositoryAndOnTheTopics() throws Exception {
        // given
        RequestApproved approved = RequestApproved.of(RequestIds.newId(), "alice", "go", Fixtures.request("web-it"));

        // when
        KafkaTestClient.publish(approved);

        // then: the row
        InventoryRow row = awaitOutcome(approved.requestId());
        assertThat(row.status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(row.instanceId()).matches("^i-[0-9a-f]{17}$");
        assertThat(row.instanceName()).isEqualTo("web-it");
        assertThat(row.privateIp()).startsWith("10.");
        assertThat(row.availabilityZone()).startsWith("eu-west-1");
        assertThat(row.approvedBy()).isEqualTo("alice");

        // then: the repository
        JsonNode tfvars = new ObjectMapper().readTree(remoteFile("stacks/" + approved.requestId()
                + "/terraform.tfvars.json"));
        assertThat(tfvars.get("request_id").asText()).isEqualTo(approved.requestId());
        assertThat(tfvars.get("name").asText()).isEqualTo("web-it");
        assertThat(tfvars.get("vpc_id").asText()).isEqualTo("vpc-0a1b2c3d");
        assertThat(tfvars.get("root_volume_gib").asInt()).isEqualTo(20);
        assertThat(tfvars.get("security_group_ids")).hasSize(2);
        assertThat(tfvars.get("tags").get("team").asText()).isEqualTo("platform");
        assertThat(stackCommits(approved.requestId())).containsExactly(row.commitId());

        // then: the events
        await().atMost(WAIT).until(() -> events(approved.requestId()).size() >= 3);
        List<RequestEvent> events = events(approved.requestId());
        assertThat(events).extracting(e -> (Class) e.getClass())
                .containsExactly(StackPushed.class, BuildStarted.class, InstanceProvisioned.class);
        assertThat(((StackPushed) events.get(0)).commitId()).isEqualTo(row.commitId());
        assertThat(((BuildStarted) events.get(1)).mode()).isEqualTo("local");
        InstanceProvisioned provisioned = (InstanceProvisioned) events.get(2);
        assertThat(provisioned.instanceId()).isEqualTo(row.instanceId());
        assertThat(provisioned.simulated()).isTrue();
        assertThat(provisioned.request()).isEqualTo(approved.request());
        assertThat(provisioned.outputs()).containsExactly(Map.entry("instance_id", row.instanceId()),
                Map.entry("instance_name", "web-it"), Map.entry("private_ip", row.privateIp()),
                Map.entry("availability_zone", row.availabilityZone()));
        assertThat(remoteFile("stacks/" + approved.requestId() + "/stack.json"))
                .isEqualTo("{\n  \"product\" : \"ec2-instance\",\n  \"module\" : \"ec2-instance\"\n}\n");

        // then: the HTTP view
        ResponseEntity<JsonNode[]> json = http.getForEntity("/api/inventory", JsonNode[].class);
        assertThat(json.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode listed = Arrays.stream(json.getBody())
                .filter(n -> n.get("requestId").asText().equals(approved.requestId())).findFirst().orElseThrow();
        assertThat(listed.get("status").asText()).isEqualTo("PROVISIONED");
        assertThat(listed.get("instanceId").asText()).isEqualTo(row.instanceId());
        assertThat(listed.get("createdAt").asText()).isEqualTo(row.createdAt().toString());
        assertThat(fieldNames(listed)).containsExactly("requestId", "status", "request", "approvedBy", "commitId",
                "buildId", "instanceId", "instanceName", "privateIp", "availabilityZone", "outputs", "failureReason",
                "failurePhase", "createdAt", "updatedAt", "outcomePublishedAt");
        assertThat(fieldNames(listed.get("outputs"))).containsExactly("instance_id", "instance_name", "private_ip",
                "availability_zone");
        JsonNode listedRequest = listed.get("request");
        assertThat(fieldNames(listedRequest)).containsExactly("name", "requesterEmail", "region", "vpcId", "subnetId",
                "instanceType", "amiId", "keyName", "rootVolumeGiB", "securityGroupIds", "tags", "product");
        assertThat(listedRequest.get("product").asText()).isEqualTo("ec2-instance");
        assertThat(listedRequest.get("securityGroupIds")).hasSize(2);
        assertThat(listedRequest.get("rootVolumeGiB").isInt()).isTrue();
        assertThat(new ObjectMapper().treeToValue(listedRequest, InstanceRequest.class)).isEqualTo(approved.request());
        HttpHeaders accept = new HttpHeaders();
        accept.setAccept(List.of(MediaType.parseMediaType("text/csv")));
        ResponseEntity<String> csv = http.exchange("/api/inventory", HttpMethod.GET, new HttpEntity<>(accept),
                String.class);
        assertThat(csv.getHeaders().getContentType().toString()).startsWith("text/csv");
        assertThat(csv.getBody()).startsWith("\"requestId\",\"status\"").contains(approved.requestId());
        HttpHeaders anything = new HttpHeaders();
        anything.setAccept(List.of(MediaType.ALL));
        ResponseEntity<String> plain = http.exchange("/api/inventory", HttpMethod.GET, new HttpEntity<>(anything),
                String.class);
        assertThat(plain.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
        assertThat(http.getForEntity("/api/inventory/not-an-id", String.class).getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void anApprovedAuroraRequestIsAppliedWithItsModuleAndAnnouncedWithTheClustersOutputs() throws Exception {
        // given
        RequestApproved approved = RequestApproved.of(RequestIds.newId(), "alice", null,
                Fixtures.auroraRequest("orders-it"));
        String id = approved.requestId();

        // when
        KafkaTestClient.publish(approved);

        // then: the row holds the cluster as terraform/local/aurora-mysql simulated it
        InventoryRow row = awaitOutcome(id);
        assertThat(row.status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(row.instanceId()).isEqualTo("oneclick-" + id);
        assertThat(row.instanceName()).isEqualTo("orders-it");
        assertThat(row.privateIp()).isNull();
        assertThat(row.availabilityZone()).isNull();
        assertThat(row.outputs().keySet()).containsExactly("cluster_identifier", "cluster_name", "endpoint",
                "reader_endpoint", "port", "master_user_secret_arn", "availability_zones");
        assertThat(row.outputs().get("endpoint")).startsWith("oneclick-" + id + ".cluster-")
                .endsWith(".eu-west-1.rds.amazonaws.com");
        assertThat(row.outputs()).containsEntry("port", "3306")
                .containsEntry("availability_zones", "eu-west-1a, eu-west-1b");

        // then: the stack in the repository names its module; its variables are the aurora module's
        assertThat(remoteFile("stacks/" + id + "/stack.json"))
                .isEqualTo("{\n  \"product\" : \"aurora-mysql\",\n  \"module\" : \"aurora-mysql\"\n}\n");
        JsonNode tfvars = new ObjectMapper().readTree(remoteFile("stacks/" + id + "/terraform.tfvars.json"));
        assertThat(tfvars.get("subnet_ids")).hasSize(2);
        assertThat(tfvars.get("instances").isInt()).isTrue();
        assertThat(tfvars.has("subnet_id")).isFalse();

        // then: InstanceProvisioned carries the outputs in the catalog's order
        await().atMost(WAIT).until(() -> events(id).size() >= 3);
        InstanceProvisioned provisioned = (InstanceProvisioned) events(id).get(2);
        assertThat(provisioned.instanceId()).isEqualTo("oneclick-" + id);
        assertThat(provisioned.instanceName()).isEqualTo("orders-it");
        assertThat(provisioned.privateIp()).isNull();
        assertThat(provisioned.simulated()).isTrue();
        assertThat(List.copyOf(provisioned.outputs().entrySet())).isEqualTo(List.copyOf(row.outputs().entrySet()));
        assertThat(provisioned.request().product()).isEqualTo("aurora-mysql");

        // then: the HTTP view shows the product and the outputs
        JsonNode listed = http.getForObject("/api/inventory/" + id, JsonNode.class);
        assertThat(listed.path("request").path("product").asText()).isEqualTo("aurora-mysql");
        assertThat(listed.path("request").path("parameters").path("subnetIds").asText())
                .isEqualTo("subnet-0a1b2c3d,subnet-1a2b3c4d");
        assertThat(listed.path("outputs").path("port").asText()).isEqualTo("3306");
        assertThat(fieldNames(listed.path("outputs"))).containsExactlyElementsOf(row.outputs().keySet());
    }

    @Test
    void theSameApprovalDeliveredAgainChangesNothing() throws Exception {
        // given: a request that was provisioned
        RequestApproved approved = RequestApproved.of(RequestIds.newId(), "alice", null, Fixtures.request("replayed"));
        KafkaTestClient.publish(approved);
        InventoryRow before = awaitOutcome(approved.requestId());
        await().atMost(WAIT).until(() -> events(approved.requestId()).size() >= 3);

        // when: the very same record arrives again and the service has consumed it
        RecordMetadata replay = KafkaTestClient.publish(approved);
        KafkaTestClient.awaitConsumed(GROUP, replay);

        // then
        assertThat(inventory.all()).filteredOn(r -> r.requestId().equals(approved.requestId())).containsExactly(before);
        assertThat(stackCommits(approved.requestId())).containsExactly(before.commitId());
        assertThat(events(approved.requestId())).filteredOn(InstanceProvisioned.class::isInstance).hasSize(1);
        assertThat(events(approved.requestId())).hasSize(3);
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAndTheNextOneIsStillProcessed() {
        // given
        String badId = RequestIds.newId();
        RequestApproved good = RequestApproved.of(RequestIds.newId(), "bob", null, Fixtures.request("after-bad"));

        // when
        KafkaTestClient.publishRaw(Topics.APPROVED, badId, "RequestApproved", "{not json");
        KafkaTestClient.publish(good);

        // then
        List<ConsumerRecord<byte[], byte[]>> dead = await().atMost(WAIT)
                .until(() -> KafkaTestClient.recordsFor(Topics.deadLetter(Topics.APPROVED), badId), r -> !r.isEmpty());
        assertThat(dead).singleElement().satisfies(r ->
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{not json"));
        assertThat(awaitOutcome(good.requestId()).status()).isEqualTo(RowStatus.PROVISIONED);
        assertThat(inventory.find(badId)).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private InventoryRow awaitOutcome(String requestId) {
        return await().atMost(WAIT).until(() -> inventory.find(requestId).orElse(null),
                row -> row != null && row.outcomePublishedAt() != null);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The events of one request on the output topics, in the order they occurred. */
    private static List<RequestEvent> events(String requestId) {
        List<RequestEvent> events = new ArrayList<>();
        for (String topic : List.of(Topics.PROGRESS, Topics.PROVISIONED, Topics.FAILED)) {
            KafkaTestClient.recordsFor(topic, requestId).forEach(record -> events.add(KafkaTestClient.decode(record)));
        }
        events.sort((a, b) -> a.occurredAt().compareTo(b.occurredAt()));
        return events;
    }

    private static String remoteFile(String path) throws Exception {
        try (Git remote = Git.open(BARE.toFile()); RevWalk walk = new RevWalk(remote.getRepository())) {
            Repository repo = remote.getRepository();
            RevCommit tip = walk.parseCommit(repo.resolve("refs/heads/main"));
            try (TreeWalk tree = TreeWalk.forPath(repo, path, tip.getTree())) {
                assertThat(tree).as("remote holds %s", path).isNotNull();
                return new String(repo.open(tree.getObjectId(0), Constants.OBJ_BLOB).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static List<String> stackCommits(String requestId) throws Exception {
        try (Git remote = Git.open(BARE.toFile())) {
            ObjectId tip = remote.getRepository().resolve("refs/heads/main");
            List<String> commits = new ArrayList<>();
            remote.log().add(tip).addPath("stacks/" + requestId).call().forEach(c -> commits.add(c.name()));
            return commits;
        }
    }
}
