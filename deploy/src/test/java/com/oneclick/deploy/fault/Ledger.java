package com.oneclick.deploy.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.oneclick.model.Topics;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.json.EventJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Counts, per request of a batch, what the stack did for it, from the outside only: inventory rows
 * (GET /api/inventory), stack directories and the commits that added them on the remote's branch,
 * outcome events on {@code oneclick.provisioned} / {@code oneclick.failed}, and emails in the
 * mailbox. Anything missing makes the request <em>lost</em>; anything more than once is
 * <em>duplicated</em> (counted per extra row, commit, event or email).
 */
final class Ledger {

    static final String BRANCH = "refs/heads/main";

    /** A request the scenario submitted, and whether its apply is meant to fail. */
    record Planned(String id, String email, boolean failing) {

        String finalStatus() {
            return failing ? "FAILED" : "PROVISIONED";
        }

        MailKind finalMail() {
            return failing ? MailKind.FAILED : MailKind.PROVISIONED;
        }
    }

    /** The notifier's emails, told apart by their subjects (notifier-service/src/main/resources/templates). */
    enum MailKind {
        RECEIVED, APPROVED, REJECTED, PROVISIONED, FAILED, OTHER;

        static MailKind of(String subject) {
            String s = subject == null ? "" : subject.toLowerCase(Locale.ROOT);
            if (s.contains("we received your request")) {
                return RECEIVED;
            }
            if (s.contains("was approved")) {
                return APPROVED;
            }
            if (s.contains("was rejected")) {
                return REJECTED;
            }
            if (s.contains("is ready")) {
                return PROVISIONED;
            }
            if (s.contains("provisioning of") && s.contains("failed")) {
                return FAILED;
            }
            return OTHER;
        }
    }

    /** The figures of one scenario. */
    record Result(String scenario, int requests, int lost, int duplicated, List<String> findings) {

        String line() {
            return "fault " + scenario + ": requests=" + requests + " lost=" + lost + " duplicated=" + duplicated;
        }
    }

    private final FaultStack stack;
    private final PublicApi api;
    private final KafkaOps kafka;

    Ledger(FaultStack stack, PublicApi api, KafkaOps kafka) {
        this.stack = stack;
        this.api = api;
        this.kafka = kafka;
    }

    /** True when every request's row is final with its outcome published, and its final email arrived. */
    boolean finished(List<Planned> batch) {
        Map<String, JsonNode> rows = new HashMap<>();
        for (JsonNode row : api.inventory()) {
            rows.put(row.path("requestId").asText(), row);
        }
        List<Mailbox.Mail> mails = stack.mailbox.received();
        for (Planned planned : batch) {
            JsonNode row = rows.get(planned.id());
            if (row == null || !planned.finalStatus().equals(row.path("status").asText())
                    || row.path("outcomePublishedAt").isNull() || row.path("outcomePublishedAt").isMissingNode()) {
                return false;
            }
            if (mailsByKind(mails, planned.email()).getOrDefault(planned.finalMail(), 0) == 0) {
                return false;
            }
        }
        return true;
    }

    /** True when every request's row is final with its outcome published (mail not looked at). */
    boolean recorded(List<Planned> batch) {
        Map<String, JsonNode> rows = new HashMap<>();
        for (JsonNode row : api.inventory()) {
            rows.put(row.path("requestId").asText(), row);
        }
        return batch.stream().allMatch(planned -> {
            JsonNode row = rows.get(planned.id());
            return row != null && planned.finalStatus().equals(row.path("status").asText())
                    && row.hasNonNull("outcomePublishedAt");
        });
    }

    /** What the stack shows from the outside, read once for a tally. */
    record Observed(List<JsonNode> inventory, String inventoryCsv, RemoteHistory remote,
                    List<ConsumerRecord<byte[], byte[]>> provisioned, List<ConsumerRecord<byte[], byte[]>> failed,
                    List<Mailbox.Mail> mails) {
    }

    Result tally(String scenario, List<Planned> batch) {
        return count(scenario, batch, new Observed(api.inventory(), api.inventoryCsv(), remoteHistory(stack.remote),
                kafka.readAll(Topics.PROVISIONED), kafka.readAll(Topics.FAILED), stack.mailbox.received()));
    }

    static Result count(String scenario, List<Planned> batch, Observed observed) {
        List<JsonNode> inventory = observed.inventory();
        RemoteHistory remote = observed.remote();
        List<ConsumerRecord<byte[], byte[]>> provisioned = observed.provisioned();
        List<ConsumerRecord<byte[], byte[]>> failed = observed.failed();
        List<Mailbox.Mail> mails = observed.mails();

        int lost = 0;
        int duplicated = 0;
        List<String> findings = new ArrayList<>();
        for (Planned planned : batch) {
            String id = planned.id();
            List<String> missing = new ArrayList<>();
            List<String> extra = new ArrayList<>();

            List<JsonNode> rows = inventory.stream().filter(row -> id.equals(row.path("requestId").asText())).toList();
            JsonNode row = rows.isEmpty() ? null : rows.get(0);
            if (row == null) {
                missing.add("no inventory row");
            } else {
                if (!planned.finalStatus().equals(row.path("status").asText())) {
                    missing.add("row " + row.path("status").asText() + " instead of " + planned.finalStatus());
                }
                if (!row.hasNonNull("outcomePublishedAt")) {
                    missing.add("outcome not published");
                }
            }
            duplicated += excess(extra, "inventory rows", rows.size(), 1);
            long csvRows = observed.inventoryCsv().lines().filter(line -> line.startsWith("\"" + id + "\",")).count();
            if (csvRows == 0) {
                missing.add("no row in the CSV");
            }
            duplicated += excess(extra, "CSV rows", (int) csvRows, 1);

            boolean onTip = remote.tip().contains(id);
            if (planned.failing() && onTip) {
                missing.add("stack still on the branch (not reverted)");
            } else if (!planned.failing() && !onTip) {
                missing.add("no stack directory on the branch");
            }
            int adds = remote.adds().getOrDefault(id, 0);
            if (adds == 0) {
                missing.add("no commit added the stack");
            }
            duplicated += excess(extra, "commits adding the stack", adds, 1);

            List<ConsumerRecord<byte[], byte[]>> instances = forRequest(provisioned, id, "InstanceProvisioned");
            int expectedInstances = planned.failing() ? 0 : 1;
            if (instances.size() < expectedInstances) {
                missing.add("no InstanceProvisioned");
            } else if (row != null && !planned.failing()) {
                Set<String> ids = new HashSet<>();
                instances.forEach(r -> ids.add(((InstanceProvisioned) EventJson.read(
                        r.headers().lastHeader(EventJson.TYPE_HEADER).value(), r.value())).instanceId()));
                if (!ids.contains(row.path("instanceId").asText())) {
                    missing.add("the row's instance ID " + row.path("instanceId").asText() + " was never announced");
                }
                duplicated += excess(extra, "distinct instance IDs", ids.size(), 1);
            }
            duplicated += excess(extra, "InstanceProvisioned events", instances.size(), expectedInstances);
            int failures = forRequest(failed, id, "ProvisioningFailed").size();
            int expectedFailures = planned.failing() ? 1 : 0;
            if (failures < expectedFailures) {
                missing.add("no ProvisioningFailed");
            }
            duplicated += excess(extra, "ProvisioningFailed events", failures, expectedFailures);

            Map<MailKind, Integer> byKind = mailsByKind(mails, planned.email());
            for (MailKind kind : MailKind.values()) {
                int expected = kind == MailKind.RECEIVED || kind == MailKind.APPROVED || kind == planned.finalMail()
                        ? 1 : 0;
                int count = byKind.getOrDefault(kind, 0);
                if (count < expected) {
                    missing.add("no " + kind + " email");
                }
                duplicated += excess(extra, kind + " emails", count, expected);
            }

            if (!missing.isEmpty()) {
                lost++;
            }
            if (!missing.isEmpty() || !extra.isEmpty()) {
                findings.add(id + " (" + planned.email() + "): missing " + missing + ", extra " + extra);
            }
        }
        return new Result(scenario, batch.size(), lost, duplicated, findings);
    }

    private static int excess(List<String> extra, String what, int count, int expected) {
        if (count > expected) {
            extra.add(count + " " + what + " (expected " + expected + ")");
            return count - expected;
        }
        return 0;
    }

    private static List<ConsumerRecord<byte[], byte[]>> forRequest(List<ConsumerRecord<byte[], byte[]>> records,
                                                                   String id, String type) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        return records.stream()
                .filter(r -> java.util.Arrays.equals(r.key(), key))
                .filter(r -> {
                    Header header = r.headers().lastHeader(EventJson.TYPE_HEADER);
                    return header != null && type.equals(new String(header.value(), StandardCharsets.UTF_8));
                })
                .toList();
    }

    static Map<MailKind, Integer> mailsByKind(List<Mailbox.Mail> mails, String recipient) {
        Map<MailKind, Integer> counts = new EnumMap<>(MailKind.class);
        for (Mailbox.Mail mail : mails) {
            if (mail.recipients().stream().anyMatch(to -> to.contains(recipient))) {
                counts.merge(MailKind.of(mail.subject()), 1, Integer::sum);
            }
        }
        return counts;
    }

    // ---- the remote ----

    /** The stacks on the branch tip, and per stack how many commits added its directory. */
    record RemoteHistory(Set<String> tip, Map<String, Integer> adds) {
    }

    static RemoteHistory remoteHistory(Path bare) {
        try (Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
             RevWalk walk = new RevWalk(repository); RevWalk reader = new RevWalk(repository)) {
            ObjectId tipId = repository.resolve(BRANCH);
            if (tipId == null) {
                return new RemoteHistory(Set.of(), Map.of());
            }
            RevCommit tip = walk.parseCommit(tipId);
            walk.markStart(tip);
            Map<String, Integer> adds = new HashMap<>();
            Map<ObjectId, Set<String>> stacksOf = new HashMap<>();
            for (RevCommit commit : walk) {
                Set<String> here = stacks(repository, reader, commit, stacksOf);
                Set<String> before = commit.getParentCount() == 0 ? Set.of()
                        : stacks(repository, reader, commit.getParent(0), stacksOf);
                for (String id : here) {
                    if (!before.contains(id)) {
                        adds.merge(id, 1, Integer::sum);
                    }
                }
            }
            return new RemoteHistory(stacks(repository, reader, tip, stacksOf), adds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + bare, e);
        }
    }

    private static Set<String> stacks(Repository repository, RevWalk reader, ObjectId commit,
                                      Map<ObjectId, Set<String>> cache) throws IOException {
        Set<String> known = cache.get(commit);
        if (known != null) {
            return known;
        }
        RevCommit parsed = reader.parseCommit(commit);
        Set<String> ids = new HashSet<>();
        try (TreeWalk stacksDir = TreeWalk.forPath(repository, "stacks", parsed.getTree())) {
            if (stacksDir != null && stacksDir.isSubtree()) {
                try (TreeWalk children = new TreeWalk(repository)) {
                    children.addTree(stacksDir.getObjectId(0));
                    children.setRecursive(false);
                    while (children.next()) {
                        if (children.isSubtree()) {
                            ids.add(children.getNameString());
                        }
                    }
                }
            }
        }
        cache.put(commit.copy(), ids);
        return ids;
    }
}
