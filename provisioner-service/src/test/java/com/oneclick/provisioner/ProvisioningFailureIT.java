package com.oneclick.provisioner;

import com.fasterxml.jackson.databind.JsonNode;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.StackPushed;
import com.oneclick.provisioner.inventory.CsvInventory;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.inventory.RowStatus;
import com.oneclick.provisioner.support.Fixtures;
import com.oneclick.provisioner.support.ProvisionerTestContext;
import com.oneclick.testsupport.KafkaTestClient;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.Reader;
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
 * The failure path as deployed: the real application context, a real Kafka broker (KafkaSupport),
 * a bare git repository in a temporary directory as the remote, and the real Terraform CLI on a
 * modules directory whose modules always fail to apply (src/test/resources/terraform/failing).
 *
 * <p>Its own context because the module differs from ProvisioningServiceIT's. Both contexts consume
 * oneclick.approved in the group {@value #GROUP}, so each is closed after its class
 * ({@link DirtiesContext}): two live contexts would share the partitions, and a request could be
 * built by the wrong module.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ProvisioningFailureIT {

    private static final String GROUP = "oneclick-provisioner";
    private static final String TERRAFORM_ERROR = "Simulated failure: no capacity for t3.micro in eu-west-1.";
    private static final String SEED_FILE = "README.md";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path root;

    @Autowired
    CsvInventory inventory;

    @Autowired
    TestRestTemplate http;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ProvisionerTestContext.register(registry, ProvisioningFailureIT::dataDir, ProvisioningFailureIT::bare,
                () -> Path.of(failingModule()));
    }

    /**
     * Runs before the context starts (it starts with the first test instance): an infrastructure
     * repository that already holds something, so the revert is a real {@code git revert} and has
     * something to leave alone.
     */
    @BeforeAll
    static void seedTheRemote() throws Exception {
        Git.init().setBare(true).setInitialBranch("main").setDirectory(bare().toFile()).call().close();
        Path seed = root.resolve("seed");
        try (Git git = Git.init().setInitialBranch("main").setDirectory(seed.toFile()).call()) {
            Files.writeString(seed.resolve(SEED_FILE), "infrastructure\n");
            git.add().addFilepattern(SEED_FILE).call();
            PersonIdent someone = new PersonIdent("Someone", "someone@example.com");
            git.commit().setMessage("Seed").setAuthor(someone).setCommitter(someone).setSign(false).call();
            git.push().setRemote(bare().toUri().toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
                    .call();
        }
    }

    @Test
    void aFailingBuildEndsFailedWithTerraformsErrorRevertsTheStackAndPublishesOneProvisioningFailed()
            throws Exception {
        // given
        RequestApproved approved = RequestApproved.of(RequestIds.newId(), "alice", "go", Fixtures.request("doomed"));
        String id = approved.requestId();

        // when
        KafkaTestClient.publish(approved);

        // then: the row, in memory, over HTTP and in the CSV file on disk
        InventoryRow row = awaitOutcome(id);
        assertThat(row.status()).isEqualTo(RowStatus.FAILED);
        assertThat(row.failureReason()).startsWith("Error: ").contains(TERRAFORM_ERROR).doesNotContain("\u001B");
        assertThat(row.commitId()).isNotBlank();
        assertThat(row.buildId()).startsWith("local-");
        assertThat(row.instanceId()).isNull();
        ResponseEntity<JsonNode[]> json = http.getForEntity("/api/inventory", JsonNode[].class);
        assertThat(json.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode listed = Arrays.stream(json.getBody())
                .filter(n -> n.get("requestId").asText().equals(id)).findFirst().orElseThrow();
        assertThat(listed.get("status").asText()).isEqualTo("FAILED");
        assertThat(listed.get("failureReason").asText()).isEqualTo(row.failureReason());
        Map<String, String> onDisk = csvFileRow(id);
        assertThat(onDisk.get("status")).isEqualTo("FAILED");
        assertThat(onDisk.get("failureReason")).isEqualTo(row.failureReason());

        // then: the repository: pushed, then reverted; the tip no longer holds the stack, the rest stays
        String stack = "stacks/" + id;
        List<RevCommit> history = stackHistory(id);
        assertThat(history).hasSize(2);
        RevCommit revert = history.get(0);
        RevCommit provision = history.get(1);
        assertThat(provision.name()).isEqualTo(row.commitId());
        assertThat(provision.getShortMessage()).isEqualTo("Provision " + id);
        assertThat(holds(provision, stack + "/terraform.tfvars.json")).isTrue();
        assertThat(revert.getShortMessage()).isEqualTo("Revert " + stack);
        assertThat(revert.getFullMessage()).contains("pushed in commit " + row.commitId());
        assertThat(revert.getTree()).as("the revert takes out exactly the stack the provision commit added")
                .isEqualTo(parentOf(provision).getTree());
        RevCommit tip = tip();
        assertThat(holds(tip, stack)).as("the tip holds %s", stack).isFalse();
        assertThat(holds(tip, SEED_FILE)).isTrue();

        // then: the events: pushed, build started, one ProvisioningFailed; no instance, no dead letter
        List<RequestEvent> progress = decodeAll(KafkaTestClient.recordsFor(Topics.PROGRESS, id));
        assertThat(progress).extracting(e -> (Class) e.getClass()).containsExactly(StackPushed.class, BuildStarted.class);
        assertThat(((StackPushed) progress.get(0)).commitId()).isEqualTo(row.commitId());
        assertThat(((BuildStarted) progress.get(1)).buildId()).isEqualTo(row.buildId());
        List<RequestEvent> failed = decodeAll(KafkaTestClient.recordsFor(Topics.FAILED, id));
        assertThat(failed).singleElement().isInstanceOfSatisfying(ProvisioningFailed.class, event -> {
            assertThat(event.phase()).isEqualTo("apply");
            assertThat(event.reason()).isEqualTo(row.failureReason());
            assertThat(event.request()).isEqualTo(approved.request());
        });
        assertThat(KafkaTestClient.recordsFor(Topics.PROVISIONED, id)).isEmpty();
        assertThat(KafkaTestClient.recordsFor(Topics.deadLetter(Topics.APPROVED), id))
                .as("a failed build is an outcome, not an error of the listener").isEmpty();
    }

    @Test
    void theSameApprovalDeliveredAgainAfterAFailureChangesNothing() throws Exception {
        // given: a request whose build failed and whose stack was reverted
        RequestApproved approved = RequestApproved.of(RequestIds.newId(), "bob", null, Fixtures.request("doomed-twice"));
        String id = approved.requestId();
        KafkaTestClient.publish(approved);
        InventoryRow before = awaitOutcome(id);
        assertThat(before.status()).isEqualTo(RowStatus.FAILED);
        List<String> historyBefore = stackHistory(id).stream().map(RevCommit::name).toList();
        assertThat(historyBefore).hasSize(2).endsWith(before.commitId());
        String tipBefore = tip().name();
        assertThat(KafkaTestClient.recordsFor(Topics.FAILED, id)).hasSize(1);

        // when: the very same record arrives again and the service has consumed it
        RecordMetadata replay = KafkaTestClient.publish(approved);
        KafkaTestClient.awaitConsumed(GROUP, replay);

        // then: no second revert (no new commit at all), no second event, the row as it was
        assertThat(tip().name()).isEqualTo(tipBefore);
        assertThat(stackHistory(id)).extracting(RevCommit::name).containsExactlyElementsOf(historyBefore);
        assertThat(KafkaTestClient.recordsFor(Topics.FAILED, id)).hasSize(1);
        assertThat(KafkaTestClient.recordsFor(Topics.PROGRESS, id)).hasSize(2);
        assertThat(KafkaTestClient.recordsFor(Topics.PROVISIONED, id)).isEmpty();
        assertThat(inventory.all()).filteredOn(r -> r.requestId().equals(id)).containsExactly(before);
        Map<String, String> onDisk = csvFileRow(id);
        assertThat(onDisk.get("updatedAt")).isEqualTo(before.updatedAt().toString());
        assertThat(onDisk.get("outcomePublishedAt")).isEqualTo(before.outcomePublishedAt().toString());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static Path bare() {
        return root.resolve("remote.git");
    }

    private static Path dataDir() {
        return root.resolve("data");
    }

    private static String failingModule() {
        try {
            return Path.of(ProvisioningFailureIT.class.getResource("/terraform/failing").toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("the failing test module is not on the test class path", e);
        }
    }

    private InventoryRow awaitOutcome(String requestId) {
        return await().atMost(WAIT).until(() -> inventory.find(requestId).orElse(null),
                row -> row != null && row.outcomePublishedAt() != null);
    }

    private static List<RequestEvent> decodeAll(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(KafkaTestClient::decode).toList();
    }

    /** The request's row as the inventory file on disk holds it, column name to cell. */
    /** The request's row as the CSV file holds it now (its last version). */
    private static Map<String, String> csvFileRow(String requestId) throws Exception {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader reader = Files.newBufferedReader(dataDir().resolve(CsvInventory.FILE_NAME), StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            List<CSVRecord> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (requestId.equals(record.get("requestId"))) {
                    rows.add(record);
                }
            }
            // the file is an append-only log of row versions: the last one is the row
            assertThat(rows).as("rows for %s in the CSV file", requestId).isNotEmpty();
            return rows.get(rows.size() - 1).toMap();
        }
    }

    private static RevCommit tip() throws Exception {
        try (Git remote = Git.open(bare().toFile()); RevWalk walk = new RevWalk(remote.getRepository())) {
            ObjectId tip = remote.getRepository().resolve("refs/heads/main");
            assertThat(tip).as("the remote branch").isNotNull();
            return walk.parseCommit(tip);
        }
    }

    /** The commit's real parent (a path-filtered log rewrites parents, so parse it afresh). */
    private static RevCommit parentOf(RevCommit commit) throws Exception {
        try (Git remote = Git.open(bare().toFile()); RevWalk walk = new RevWalk(remote.getRepository())) {
            RevCommit fresh = walk.parseCommit(commit.getId());
            assertThat(fresh.getParentCount()).isEqualTo(1);
            return walk.parseCommit(fresh.getParent(0));
        }
    }

    private static boolean holds(RevCommit commit, String path) throws Exception {
        try (Git remote = Git.open(bare().toFile());
             TreeWalk tree = TreeWalk.forPath(remote.getRepository(), path, commit.getTree())) {
            return tree != null;
        }
    }

    /** The remote branch's commits that touched the request's stack, newest first. */
    private static List<RevCommit> stackHistory(String requestId) throws Exception {
        try (Git remote = Git.open(bare().toFile())) {
            ObjectId tip = remote.getRepository().resolve("refs/heads/main");
            List<RevCommit> commits = new ArrayList<>();
            remote.log().add(tip).addPath("stacks/" + requestId).call().forEach(commits::add);
            return commits;
        }
    }
}
