package com.oneclick.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.oneclick.model.InstanceRequest;
import com.oneclick.testsupport.AuroraRequests;
import com.oneclick.testsupport.KafkaSupport;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole flow through the public interfaces only: the four services run as separate processes
 * (their real exec jars) against a real Kafka broker, a real SMTP server (GreenMail), a bare git
 * repository and the Terraform CLI on terraform/local. The test submits through the request API,
 * decides through the approval API, and reads the outcome from the mailbox, the inventory API, the
 * remote repository and the status API.
 */
class EndToEndIT {

    private static final Duration STARTUP = Duration.ofMinutes(5);
    private static final Duration FLOW = Duration.ofSeconds(90);
    private static final Pattern INSTANCE_ID = Pattern.compile("^i-[0-9a-f]{17}$");
    private static final List<String> SERVICE_JVM_OPTIONS =
            List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final String APPROVER = "e2e-approver";
    private static final String APPROVER_PASSWORD = ApproverCredentials.randomPassword(20);

    private static final ServerSetup SMTP = new ServerSetup(Ports.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(SMTP)
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            printServiceLogs();
        }
    };

    @TempDir
    static Path temp;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Map<ServiceSpec, ServiceProcess> PROCESSES = new EnumMap<>(ServiceSpec.class);
    private static final Map<ServiceSpec, Integer> PORTS = new EnumMap<>(ServiceSpec.class);
    private static Path remote;

    @BeforeAll
    static void startTheStack() {
        try {
            String kafka = KafkaSupport.bootstrapServers();
            remote = temp.resolve("remote.git");
            RemoteRepository.ensureBare(remote);
            Path logDir = emptyLogDirectory();
            for (ServiceSpec spec : ServiceSpec.values()) {
                Path jar = Path.of(requiredProperty("oneclick.e2e." + spec.module() + ".jar"));
                assertThat(jar).as("the exec jar of %s (built by the reactor before this module)", spec.module())
                        .isRegularFile();
                int port = Ports.freePort();
                PORTS.put(spec, port);
                PROCESSES.put(spec, ServiceProcess.builder(spec.module())
                        .javaJar(jar, SERVICE_JVM_OPTIONS)
                        .env(environment(spec, port, kafka))
                        .workDir(temp.resolve(spec.module()))
                        .logFile(logDir.resolve(spec.module() + ".log"))
                        .start());
            }
            // Four JVMs at once: on a small machine each takes a while, so wait for them together.
            CompletableFuture.allOf(PROCESSES.entrySet().stream()
                    .map(e -> CompletableFuture.runAsync(() -> e.getValue().awaitHealthy(
                            URI.create(baseUrl(e.getKey()) + e.getKey().healthPath()), STARTUP),
                            runnable -> new Thread(runnable, "await-" + e.getKey().module()).start()))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException | Error e) {
            printServiceLogs();
            throw e;
        }
    }

    @AfterAll
    static void stopTheStack() {
        ServiceProcess.inParallel(PROCESSES.values(), process -> process.stop(Duration.ofSeconds(20)));
    }

    @Test
    void approvedRequestIsProvisionedPushedRecordedAndMailedWithItsInstanceId() throws Exception {
        // given a valid request, submitted through the request API
        InstanceRequest request = new InstanceRequest("e2e-web-01", "happy.requester@example.com", "eu-west-1",
                "vpc-0a1b2c3d", "subnet-0a1b2c3d4e5f67890", "t3.micro", "ami-0a1b2c3d4e5f67890", "team-key",
                20, List.of("sg-0a1b2c3d"), Map.of("team", "platform"));
        String id = submit(request);
        awaitPending(id);

        // when the approver approves it
        HttpResponse<String> approved = post(ServiceSpec.APPROVAL, "/api/approvals/" + id + "/approve",
                Map.of("comment", "fine for the end-to-end test"), true);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        // then the inventory shows the row provisioned with a (simulated) instance ID
        JsonNode row = await().atMost(FLOW).pollInterval(Duration.ofMillis(500))
                .until(() -> inventoryRow(id), r -> r.isPresent() && "PROVISIONED".equals(r.get().path("status").asText()))
                .orElseThrow();
        String instanceId = row.path("instanceId").asText();
        assertThat(instanceId).matches(INSTANCE_ID);
        assertThat(row.path("request").path("name").asText()).isEqualTo("e2e-web-01");
        assertThat(row.path("approvedBy").asText()).isEqualTo(APPROVER);

        // and the requester gets an email with that instance ID, marked as simulated
        String mail = await().atMost(FLOW).pollInterval(Duration.ofMillis(500))
                .until(() -> mailTo(request.requesterEmail(), instanceId), Optional::isPresent).orElseThrow();
        assertThat(mail).containsIgnoringCase("simulated");

        // and the remote repository holds the stack with the submitted values
        JsonNode tfvars = JSON.readTree(readFromRemote("stacks/" + id + "/terraform.tfvars.json")
                .orElseThrow(() -> new AssertionError("no stacks/" + id + "/terraform.tfvars.json on the remote")));
        assertThat(tfvars.path("request_id").asText()).isEqualTo(id);
        assertThat(tfvars.path("name").asText()).isEqualTo("e2e-web-01");
        assertThat(tfvars.path("region").asText()).isEqualTo("eu-west-1");
        assertThat(tfvars.path("vpc_id").asText()).isEqualTo("vpc-0a1b2c3d");
        assertThat(tfvars.path("subnet_id").asText()).isEqualTo("subnet-0a1b2c3d4e5f67890");
        assertThat(tfvars.path("instance_type").asText()).isEqualTo("t3.micro");
        assertThat(tfvars.path("ami_id").asText()).isEqualTo("ami-0a1b2c3d4e5f67890");
        assertThat(tfvars.path("key_name").asText()).isEqualTo("team-key");
        assertThat(tfvars.path("root_volume_gib").asInt()).isEqualTo(20);
        assertThat(tfvars.path("security_group_ids").get(0).asText()).isEqualTo("sg-0a1b2c3d");
        assertThat(tfvars.path("tags").path("team").asText()).isEqualTo("platform");

        // and the status API shows the whole timeline, ending provisioned and emailed
        await().atMost(FLOW).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode status = status(id);
            assertThat(status.path("status").asText()).isEqualTo("PROVISIONED");
            assertThat(status.path("instance").path("instanceId").asText()).isEqualTo(instanceId);
            assertThat(steps(status)).contains("SUBMITTED", "APPROVED", "PUSHED", "BUILDING", "PROVISIONED", "EMAILED");
        });
    }

    @Test
    void anAuroraClusterRequestGoesThroughTheSameFlowToItsOwnModuleAndOutputs() throws Exception {
        // given a request for the catalog's second product, submitted through the request API
        Map<String, String> parameters = AuroraRequests.parameters();
        parameters.put("subnetIds", "subnet-0a1b2c3d, subnet-1a2b3c4d");
        InstanceRequest request = AuroraRequests.request("e2e-orders-db", "db.requester@example.com",
                "vpc-0a1b2c3d", Map.of("team", "platform"), parameters);
        String id = submit(request);
        awaitPending(id);

        // when the approver approves it
        HttpResponse<String> approved = post(ServiceSpec.APPROVAL, "/api/approvals/" + id + "/approve",
                Map.of(), true);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        // then the local build applied terraform/local/aurora-mysql: the row holds the cluster's identifier
        JsonNode row = await().atMost(FLOW).pollInterval(Duration.ofMillis(500))
                .until(() -> inventoryRow(id), r -> r.isPresent() && "PROVISIONED".equals(r.get().path("status").asText()))
                .orElseThrow();
        String cluster = row.path("instanceId").asText();
        assertThat(cluster).isEqualTo("oneclick-" + id);

        // and the stack on the remote names its module and carries the parameters as typed variables
        JsonNode stack = JSON.readTree(readFromRemote("stacks/" + id + "/stack.json").orElseThrow());
        assertThat(stack.path("module").asText()).isEqualTo("aurora-mysql");
        JsonNode tfvars = JSON.readTree(readFromRemote("stacks/" + id + "/terraform.tfvars.json").orElseThrow());
        assertThat(tfvars.path("subnet_ids")).hasSize(2);
        assertThat(tfvars.path("subnet_ids").get(1).asText()).isEqualTo("subnet-1a2b3c4d");
        assertThat(tfvars.path("instances").isInt()).isTrue();
        assertThat(tfvars.has("subnet_id")).isFalse();

        // and the requester's email names the product and lists the cluster's endpoint, marked simulated
        String mail = await().atMost(FLOW).pollInterval(Duration.ofMillis(500))
                .until(() -> mailTo(request.requesterEmail(), cluster), Optional::isPresent).orElseThrow();
        assertThat(mail).contains("Aurora MySQL cluster").contains("Writer endpoint")
                .contains(cluster + ".cluster-").containsIgnoringCase("simulated");
    }

    @Test
    void rejectedRequestIsMailedWithTheReasonAndNeverProvisioned() throws Exception {
        // given a valid request, submitted through the request API
        InstanceRequest request = new InstanceRequest("e2e-db-02", "rejected.requester@example.com", "eu-west-1",
                "vpc-1a2b3c4d", "subnet-1a2b3c4d", "m6i.large", "ami-1a2b3c4d", "team-key",
                50, List.of(), Map.of());
        String id = submit(request);
        awaitPending(id);

        // when the approver rejects it with a reason
        String reason = "Use the shared staging VPC for this workload";
        HttpResponse<String> rejected = post(ServiceSpec.APPROVAL, "/api/approvals/" + id + "/reject",
                Map.of("reason", reason), true);
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);

        // then the requester gets an email with the reason
        await().atMost(FLOW).pollInterval(Duration.ofMillis(500))
                .until(() -> mailTo(request.requesterEmail(), reason), Optional::isPresent);

        // and the status API shows it rejected
        await().atMost(FLOW).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(status(id).path("status").asText()).isEqualTo("REJECTED"));

        // and nothing was pushed or recorded for it
        assertThat(readFromRemote("stacks/" + id + "/terraform.tfvars.json")).isEmpty();
        assertThat(inventoryRow(id)).isEmpty();
    }

    // ---- the stack ----

    private static Map<String, String> environment(ServiceSpec spec, int port, String kafka) {
        Map<String, String> env = new LinkedHashMap<>(spec.loopbackEnv());
        env.put("ONECLICK_PORT", String.valueOf(port));
        env.put("ONECLICK_KAFKA_BOOTSTRAP", kafka);
        env.put("ONECLICK_DATA_DIR", temp.resolve(spec.module()).resolve("data").toString());
        switch (spec) {
            case APPROVAL -> {
                env.put("ONECLICK_APPROVAL_USERS_0_USERNAME", APPROVER);
                env.put("ONECLICK_APPROVAL_USERS_0_PASSWORD", ApproverCredentials.bcryptHash(APPROVER_PASSWORD));
                env.put("ONECLICK_APPROVAL_USERS_0_EMAIL", "approver@example.com");
                env.put("ONECLICK_APPROVAL_USERS_0_ROLES_0", "APPROVER");
            }
            case PROVISIONER -> {
                env.put("ONECLICK_GIT_REMOTE", remote.toString());
                env.put("ONECLICK_TERRAFORM_MODULES", requiredProperty("oneclick.e2e.terraform-modules"));
            }
            case NOTIFIER -> {
                env.put("ONECLICK_SMTP_HOST", "127.0.0.1");
                env.put("ONECLICK_SMTP_PORT", String.valueOf(SMTP.getPort()));
            }
            default -> {
            }
        }
        return env;
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (Failsafe sets it in deploy/pom.xml)");
        }
        return value;
    }

    /** target/e2e-logs (kept for CI to look at), emptied so each run's logs start afresh. */
    private static Path emptyLogDirectory() {
        Path logDir = Path.of(System.getProperty("oneclick.e2e.log-dir", temp.resolve("logs").toString()));
        try {
            Files.createDirectories(logDir);
            try (var files = Files.list(logDir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + logDir, e);
        }
        return logDir;
    }

    private static void printServiceLogs() {
        for (ServiceProcess process : PROCESSES.values()) {
            System.out.println("==== last lines of " + process.logFile() + (process.isAlive() ? "" : " (exited)")
                    + " ====");
            System.out.println(process.logTail(80));
        }
    }

    // ---- the public APIs ----

    private static String baseUrl(ServiceSpec spec) {
        return "http://127.0.0.1:" + PORTS.get(spec);
    }

    private static String submit(InstanceRequest request) throws Exception {
        HttpResponse<String> response = post(ServiceSpec.REQUEST, "/api/requests", request, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("SUBMITTED");
        String id = body.path("requestId").asText();
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/requests/" + id));
        return id;
    }

    private static void awaitPending(String id) {
        await().atMost(FLOW).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> response = get(ServiceSpec.APPROVAL, "/api/approvals?status=PENDING", true);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).findValuesAsText("requestId")).contains(id);
        });
    }

    private static JsonNode status(String id) throws Exception {
        HttpResponse<String> response = get(ServiceSpec.REQUEST, "/api/requests/" + id, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> steps(JsonNode status) {
        return StreamSupport.stream(status.path("timeline").spliterator(), false)
                .map(entry -> entry.path("step").asText()).toList();
    }

    private static Optional<JsonNode> inventoryRow(String id) throws Exception {
        HttpResponse<String> response = get(ServiceSpec.PROVISIONER, "/api/inventory", false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StreamSupport.stream(JSON.readTree(response.body()).spliterator(), false)
                .filter(row -> id.equals(row.path("requestId").asText()))
                .findFirst();
    }

    private static HttpResponse<String> get(ServiceSpec spec, String path, boolean asApprover) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl(spec) + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json")
                .GET();
        if (asApprover) {
            request.header("Authorization", basicAuth());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ServiceSpec spec, String path, Object body, boolean asApprover)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl(spec) + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (asApprover) {
            request.header("Authorization", basicAuth());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basicAuth() {
        return "Basic " + Base64.getEncoder()
                .encodeToString((APPROVER + ":" + APPROVER_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    // ---- the mailbox and the remote ----

    /** The decoded text of a message to {@code recipient} that contains {@code text}, if one arrived. */
    private static Optional<String> mailTo(String recipient, String text) throws MessagingException, IOException {
        for (Message message : MAIL.getReceivedMessages()) {
            Address[] to = message.getAllRecipients();
            if (to == null || Arrays.stream(to).noneMatch(a -> a.toString().contains(recipient))) {
                continue;
            }
            String body = message.getSubject() + "\n" + textOf(message);
            if (body.contains(text)) {
                return Optional.of(body);
            }
        }
        return Optional.empty();
    }

    /** Every text part of a message, decoded (quoted-printable, base64), one after the other. */
    private static String textOf(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/*")) {
            return String.valueOf(part.getContent());
        }
        if (part.getContent() instanceof Multipart multipart) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                text.append(textOf(multipart.getBodyPart(i))).append('\n');
            }
            return text.toString();
        }
        return "";
    }

    /** A file at the tip of the remote's main branch, if the branch and the file exist. */
    private static Optional<String> readFromRemote(String path) throws IOException {
        try (Repository repository = new FileRepositoryBuilder().setGitDir(remote.toFile()).setMustExist(true).build()) {
            ObjectId tip = repository.resolve("refs/heads/main");
            if (tip == null) {
                return Optional.empty();
            }
            try (RevWalk walk = new RevWalk(repository)) {
                RevCommit commit = walk.parseCommit(tip);
                try (TreeWalk tree = TreeWalk.forPath(repository, path, commit.getTree())) {
                    if (tree == null) {
                        return Optional.empty();
                    }
                    return Optional.of(new String(repository.open(tree.getObjectId(0)).getBytes(),
                            StandardCharsets.UTF_8));
                }
            }
        }
    }
}
