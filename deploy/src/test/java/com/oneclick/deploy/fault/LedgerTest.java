package com.oneclick.deploy.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.ProvisioningFailed;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.json.EventJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault tests' counting: what makes a request lost, what counts as a duplicate. */
class LedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTANCE = "i-0123456789abcdef0";

    private final String id = RequestIds.newId();
    private final String email = "someone@fault.example.com";
    private final Ledger.Planned provisioned = new Ledger.Planned(id, email, false);
    private final Ledger.Planned failing = new Ledger.Planned(id, email, true);

    @Test
    void aProvisionedRequestWithEachEffectOnceIsNeitherLostNorDuplicated() {
        // given one row, one stack added once and on the tip, one instance, one email of each kind
        Ledger.Observed observed = observed(row("PROVISIONED"), history(true, 1),
                List.of(instance()), List.of(), mails("received", "approved", "ready"));

        // when
        Ledger.Result result = Ledger.count("s", List.of(provisioned), observed);

        // then
        assertThat(result.line()).isEqualTo("fault s: requests=1 lost=0 duplicated=0");
        assertThat(result.findings()).isEmpty();
    }

    @Test
    void aSecondInstanceEventCommitAndReadyEmailAreCountedAsDuplicates() {
        // given the same instance announced twice, the stack added by two commits, two ready emails
        Ledger.Observed observed = observed(row("PROVISIONED"), history(true, 2),
                List.of(instance(), instance()), List.of(), mails("received", "approved", "ready", "ready"));

        // when
        Ledger.Result result = Ledger.count("s", List.of(provisioned), observed);

        // then
        assertThat(result.lost()).isZero();
        assertThat(result.duplicated()).isEqualTo(3);
    }

    @Test
    void aRequestWithoutRowOrFinalEmailIsLost() {
        // given no row and no ready email
        Ledger.Observed observed = observed(null, history(true, 1), List.of(instance()), List.of(),
                mails("received", "approved"));

        // when
        Ledger.Result result = Ledger.count("s", List.of(provisioned), observed);

        // then
        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.findings().get(0)).contains("no inventory row", "no PROVISIONED email");
    }

    @Test
    void aFailedRequestWhoseStackIsStillOnTheBranchIsLost() {
        // given a failed request whose stack was never reverted
        Ledger.Observed observed = observed(row("FAILED"), history(true, 1), List.of(), List.of(failure()),
                mails("received", "approved", "failed"));

        // when
        Ledger.Result result = Ledger.count("s", List.of(failing), observed);

        // then
        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.findings().get(0)).contains("not reverted");
    }

    @Test
    void aFailedRequestRevertedWithOneFailureAndOneFailedEmailIsFine() {
        Ledger.Observed observed = observed(row("FAILED"), history(false, 1), List.of(), List.of(failure()),
                mails("received", "approved", "failed"));

        Ledger.Result result = Ledger.count("s", List.of(failing), observed);

        assertThat(result.lost()).isZero();
        assertThat(result.duplicated()).isZero();
    }

    @Test
    void theRemoteHistoryCountsEachCommitThatAddedAStackDirectory(@TempDir Path dir) throws Exception {
        // given stack a added, removed and added again, and stack b added once
        String a = RequestIds.newId();
        String b = RequestIds.newId();
        try (Git git = Git.init().setInitialBranch("main").setDirectory(dir.toFile()).call()) {
            write(dir, a);
            write(dir, b);
            git.add().addFilepattern("stacks").call();
            git.commit().setMessage("add a and b").setSign(false).call();
            git.rm().addFilepattern("stacks/" + a).call();
            git.commit().setMessage("revert a").setSign(false).call();
            write(dir, a);
            git.add().addFilepattern("stacks").call();
            git.commit().setMessage("add a again").setSign(false).call();
        }

        // when
        Ledger.RemoteHistory history = Ledger.remoteHistory(dir.resolve(".git"));

        // then
        assertThat(history.tip()).containsExactlyInAnyOrder(a, b);
        assertThat(history.adds()).containsEntry(a, 2).containsEntry(b, 1);
    }

    @Test
    void theNotifiersSubjectsAreToldApart() throws Exception {
        // given the notifier's own subject templates
        Path templates = Path.of("..", "notifier-service", "src", "main", "resources", "templates");

        // then each one is recognised as its kind
        for (Ledger.MailKind kind : List.of(Ledger.MailKind.RECEIVED, Ledger.MailKind.APPROVED,
                Ledger.MailKind.REJECTED, Ledger.MailKind.PROVISIONED, Ledger.MailKind.FAILED)) {
            String subject = Files.readString(templates.resolve(kind.name().toLowerCase() + ".subject.txt"));
            assertThat(Ledger.MailKind.of(subject)).as(subject).isEqualTo(kind);
        }
    }

    // ---- helpers ----

    private Ledger.Observed observed(JsonNode row, Ledger.RemoteHistory history,
                                     List<ConsumerRecord<byte[], byte[]>> instances,
                                     List<ConsumerRecord<byte[], byte[]>> failures, List<Mailbox.Mail> mails) {
        String csv = "requestId,status\n"
                + (row == null ? "" : "\"" + id + "\",\"" + row.path("status").asText() + "\"\n");
        return new Ledger.Observed(row == null ? List.of() : List.of(row), csv, history, instances, failures, mails);
    }

    private JsonNode row(String status) {
        return JSON.createObjectNode().put("requestId", id).put("status", status).put("instanceId",
                        "FAILED".equals(status) ? null : INSTANCE)
                .put("outcomePublishedAt", "2026-01-01T00:00:00Z");
    }

    private Ledger.RemoteHistory history(boolean onTip, int adds) {
        return new Ledger.RemoteHistory(onTip ? java.util.Set.of(id) : java.util.Set.of(), Map.of(id, adds));
    }

    private ConsumerRecord<byte[], byte[]> instance() {
        return record(Topics.PROVISIONED, InstanceProvisioned.of(id, INSTANCE, "web", "10.0.0.1", "eu-west-1a", true,
                "0".repeat(40), "local-" + id, request()));
    }

    private ConsumerRecord<byte[], byte[]> failure() {
        return record(Topics.FAILED, ProvisioningFailed.of(id, "build", "apply failed", request()));
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, RequestEvent event) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(topic, 0, 0,
                event.requestId().getBytes(StandardCharsets.UTF_8), EventJson.write(event));
        record.headers().add(EventJson.TYPE_HEADER, EventJson.typeHeader(event));
        return record;
    }

    private InstanceRequest request() {
        return new InstanceRequest("web", email, "eu-west-1", "vpc-0a1b2c3d", "subnet-0a1b2c3d", "t3.micro",
                "ami-0a1b2c3d", "key", 8, List.of("sg-0a1b2c3d"), Map.of());
    }

    private List<Mailbox.Mail> mails(String... kinds) {
        List<Mailbox.Mail> mails = new ArrayList<>();
        for (String kind : kinds) {
            String subject = switch (kind) {
                case "received" -> "OneClick: we received your request for web";
                case "approved" -> "OneClick: your request for web was approved";
                case "ready" -> "OneClick: your instance web is ready (" + INSTANCE + ")";
                case "failed" -> "OneClick: provisioning of web failed";
                default -> throw new IllegalArgumentException(kind);
            };
            mails.add(new Mailbox.Mail(List.of(email), subject));
        }
        return mails;
    }

    private static void write(Path dir, String stack) throws Exception {
        Path file = dir.resolve("stacks").resolve(stack).resolve("terraform.tfvars.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"request_id\":\"" + stack + "\"}");
    }
}
