package com.oneclick.provisioner.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.provisioner.git.StackRepository;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.stack.TfvarsWriter;
import com.oneclick.provisioner.support.Fixtures;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalTerraformBuildTest {

    static final Product EC2 = ProductCatalog.standard().get("ec2-instance");
    static final Product AURORA = ProductCatalog.standard().get("aurora-mysql");

    static final Path LOCAL_MODULES = Path.of("..", "terraform", "local").toAbsolutePath().normalize();
    static final Path EC2_MODULE = LOCAL_MODULES.resolve("ec2-instance");
    static final Path AURORA_MODULE = LOCAL_MODULES.resolve("aurora-mysql");

    @TempDir
    Path tmp;

    private StackRepository repository;
    private Path dataDir;

    @BeforeEach
    void repository() throws Exception {
        Path bare = tmp.resolve("remote.git");
        Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
        dataDir = tmp.resolve("data");
        repository = new StackRepository(dataDir.resolve("repo"), bare.toString(), "main", null, null, 3,
                Duration.ofMillis(10), Duration.ofSeconds(10));
    }

    @Test
    void applyOfTheLocalModuleGivesADeterministicSimulatedInstance() {
        // given
        LocalTerraformBuild build = build(LOCAL_MODULES);
        InventoryRow web1 = Fixtures.row("web-1");
        InventoryRow web2 = Fixtures.row("web-2");
        String commit1 = push(web1);
        String commit2 = push(web2);

        // when
        BuildStatus first = run(build, web1, commit1);
        BuildStatus again = run(build, web1, commit1);
        BuildStatus other = run(build, web2, commit2);

        // then
        assertThat(first).isInstanceOf(BuildStatus.Succeeded.class);
        InstanceOutputs out = ((BuildStatus.Succeeded) first).outputs();
        assertThat(out.values().keySet()).containsExactly("instance_id", "instance_name", "private_ip",
                "availability_zone");
        assertThat(out.id(EC2)).matches("^i-[0-9a-f]{17}$");
        assertThat(out.name(EC2)).isEqualTo("web-1");
        assertThat(out.privateIp()).matches("^10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$");
        assertThat(out.availabilityZone()).matches("^eu-west-1[a-c]$");
        assertThat(again).isEqualTo(first);
        assertThat(((BuildStatus.Succeeded) other).outputs().id(EC2)).isNotEqualTo(out.id(EC2));
        assertThat(dataDir.resolve("state").resolve(web1.requestId()).resolve("terraform.tfstate")).exists();
        Path buildDir = dataDir.resolve("builds").resolve(web1.requestId());
        assertThat(buildDir.resolve(TfvarsWriter.FILE_NAME)).exists();
        assertThat(buildDir.resolve("apply.out")).content().contains("Apply complete!");
        assertThat(EC2_MODULE.resolve(".terraform")).doesNotExist();
        assertThat(EC2_MODULE.resolve(".terraform.lock.hcl")).doesNotExist();
        assertThat(EC2_MODULE.resolve("terraform.tfstate")).doesNotExist();
        assertThat(build.mode()).isEqualTo("local");
        assertThat(build.simulated()).isTrue();
    }

    @Test
    void eachModuleIsInitialisedOnceAndEveryStackAppliesAtTheConfiguredLowerCpuPriority() throws Exception {
        // given the real CLI behind a script that first writes down its own niceness (field 19 of /proc/self/stat)
        // and its subcommand
        Path calls = tmp.resolve("calls.txt");
        Path wrapper = tmp.resolve("terraform-recording-niceness");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$(awk '{print $19}' /proc/$$/stat) $2\" >> '" + calls + "'\n"
                + "exec terraform \"$@\"\n");
        assertThat(wrapper.toFile().setExecutable(true)).isTrue();
        int own = Integer.parseInt(Files.readString(Path.of("/proc/self/stat")).replaceAll("^.*\\) ", "")
                .split(" ")[16]);
        LocalTerraformBuild build = new LocalTerraformBuild(repository, dataDir, wrapper.toString(), LOCAL_MODULES,
                ProductCatalog.standard(), Duration.ofMinutes(2), 1, 10);
        InventoryRow web1 = Fixtures.row("web-nice-1");
        InventoryRow web2 = Fixtures.row("web-nice-2");
        InventoryRow db = InventoryRow.approved(RequestIds.newId(), Fixtures.auroraRequest("db-nice"), "alice",
                Fixtures.T0);

        // when
        List<BuildStatus> outcomes = List.of(run(build, web1, push(web1)), run(build, web2, push(web2)),
                run(build, db, push(db)));

        // then one init per module, one apply per stack, all ten steps below this JVM's priority
        assertThat(outcomes).allMatch(BuildStatus.Succeeded.class::isInstance);
        String nice = String.valueOf(Math.min(19, own + 10));
        assertThat(Files.readAllLines(calls)).containsExactly(nice + " init", nice + " apply", nice + " apply",
                nice + " init", nice + " apply");
        // then each stack has its own state, in the workspace named by its request ID
        for (InventoryRow row : List.of(web1, web2, db)) {
            assertThat(dataDir.resolve("state").resolve(row.requestId()).resolve("terraform.tfstate")).exists();
        }
        assertThat(dataDir.resolve("terraform").resolve("ec2-instance").resolve("init.out")).exists();
        assertThat(dataDir.resolve("terraform").resolve("aurora-mysql").resolve("init.out")).exists();
    }

    @Test
    void stacksApplyingSideBySideInOneWorkingDirectoryEachGetTheirOwnInstance() {
        // given four stacks pushed, and two workers
        LocalTerraformBuild build = build(LOCAL_MODULES);
        List<InventoryRow> rows = List.of(Fixtures.row("side-1"), Fixtures.row("side-2"), Fixtures.row("side-3"),
                Fixtures.row("side-4"));
        List<String> commits = rows.stream().map(this::push).toList();

        // when all are started before any is asked about
        List<String> buildIds = new java.util.ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            buildIds.add(build.start(rows.get(i).requestId(), commits.get(i), EC2).orElseThrow());
        }

        // then every one succeeds with the name of its own stack
        for (int i = 0; i < rows.size(); i++) {
            InventoryRow row = rows.get(i);
            String commit = commits.get(i);
            String buildId = buildIds.get(i);
            AtomicReference<BuildStatus> status = new AtomicReference<>();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
                status.set(build.status(row.requestId(), commit, buildId, EC2));
                return !(status.get() instanceof BuildStatus.Running);
            });
            assertThat(status.get()).isInstanceOfSatisfying(BuildStatus.Succeeded.class, done ->
                    assertThat(done.outputs().name(EC2)).isEqualTo(row.request().name()));
        }
    }

    @Test
    void aModuleThatCannotBeInitialisedFailsTheBuildAndIsTriedAgainByTheNext() throws Exception {
        // given a modules directory whose EC2 module is not valid HCL
        Path modules = tmp.resolve("broken-modules");
        Files.createDirectories(modules.resolve("ec2-instance"));
        Files.writeString(modules.resolve("ec2-instance").resolve("main.tf"), "terraform {\n  backend \"local\" {\n");
        Files.createDirectories(modules.resolve("aurora-mysql"));
        Files.copy(AURORA_MODULE.resolve("versions.tf"), modules.resolve("aurora-mysql").resolve("versions.tf"));
        LocalTerraformBuild build = build(modules);
        InventoryRow first = Fixtures.row("broken-1");
        InventoryRow second = Fixtures.row("broken-2");

        // when
        BuildStatus firstOutcome = run(build, first, push(first));
        Files.copy(EC2_MODULE.resolve("versions.tf"), modules.resolve("ec2-instance").resolve("main.tf"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(EC2_MODULE.resolve("variables.tf"), modules.resolve("ec2-instance").resolve("variables.tf"));
        Files.copy(EC2_MODULE.resolve("outputs.tf"), modules.resolve("ec2-instance").resolve("outputs.tf"));
        Files.copy(EC2_MODULE.resolve("main.tf"), modules.resolve("ec2-instance").resolve("instance.tf"));
        BuildStatus secondOutcome = run(build, second, push(second));

        // then the first failed in init with Terraform's message, and the mended module built the second
        assertThat(firstOutcome).isInstanceOfSatisfying(BuildStatus.Failed.class, failed -> {
            assertThat(failed.phase()).isEqualTo("init");
            assertThat(failed.reason()).startsWith("Error: ");
        });
        assertThat(secondOutcome).isInstanceOfSatisfying(BuildStatus.Succeeded.class, done ->
                assertThat(done.outputs().name(EC2)).isEqualTo("broken-2"));
    }

    @Test
    void aSensitiveOutputFailsTheBuildAndItsValueIsWrittenNowhere() throws Exception {
        // given a module that outputs the instance ID as sensitive
        LocalTerraformBuild build = build(Path.of(getClass().getResource("/terraform/sensitive-outputs").toURI()));
        InventoryRow row = Fixtures.row("secretive");
        String commit = push(row);

        // when
        BuildStatus outcome = run(build, row, commit);

        // then
        assertThat(outcome).isInstanceOfSatisfying(BuildStatus.Failed.class, failed -> {
            assertThat(failed.phase()).isEqualTo("output");
            assertThat(failed.reason()).contains("terraform output 'instance_id' is sensitive");
        });
        Path buildDir = dataDir.resolve("builds").resolve(row.requestId());
        assertThat(buildDir.resolve("apply.out")).content().contains("\"sensitive\":true")
                .doesNotContain("i-0123456789abcdef0");
    }

    @Test
    void theApplyLogGivesTheLastOutputsAndEveryErrorAndSkipsWhatIsNotJson() {
        // given
        String log = """
                {"@level":"info","type":"version","terraform":"1.11.4"}
                panic: not JSON
                {"@level":"warn","type":"diagnostic","diagnostic":{"severity":"warning","summary":"Deprecated"}}
                {"@level":"error","type":"diagnostic","diagnostic":{"severity":"error","summary":"First","detail":"one"}}
                {"@level":"error","type":"diagnostic","diagnostic":{"severity":"error","summary":"Second"}}
                {"type":"outputs","outputs":{"n":{"sensitive":false,"action":"create"}}}
                {"type":"outputs","outputs":{"n":{"sensitive":false,"type":"number","value":3}}}
                {"type":"outputs"
                """;

        // when
        LocalTerraformBuild.ApplyLog read = LocalTerraformBuild.ApplyLog.read(log);

        // then
        assertThat(read.outputs()).isEqualTo("{\"n\":{\"sensitive\":false,\"type\":\"number\",\"value\":3}}");
        assertThat(read.errors()).isEqualTo("Error: First\n\none\n\nError: Second");
        assertThat(LocalTerraformBuild.ApplyLog.read("").outputs()).isNull();
        assertThat(LocalTerraformBuild.ApplyLog.read("").errors()).isEmpty();
    }

    @Test
    void refusesANicenessOutsideZeroToNineteen() {
        assertThatThrownBy(() -> new LocalTerraformBuild(repository, dataDir, "terraform", LOCAL_MODULES,
                ProductCatalog.standard(), Duration.ofMinutes(1), 1, 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 0 to 19");
    }

    @Test
    void aBuildAskedAboutAfterARestartRunsAgainAndGivesTheSameInstance() {
        // given: a build that finished before the service restarted
        InventoryRow row = Fixtures.row("web-1");
        String commit = push(row);
        BuildStatus before = run(build(LOCAL_MODULES), row, commit);
        String buildId = LocalTerraformBuild.buildId(row.requestId(), commit);

        // when: a new instance of the build system is asked about it
        LocalTerraformBuild restarted = build(LOCAL_MODULES);
        AtomicReference<BuildStatus> after = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            after.set(restarted.status(row.requestId(), commit, buildId, EC2));
            return !(after.get() instanceof BuildStatus.Running);
        });

        // then
        assertThat(before).isInstanceOf(BuildStatus.Succeeded.class);
        assertThat(after.get()).isEqualTo(before);
    }

    @Test
    void theBuildAppliesTheStackAsOfItsCommitNotTheBranchTip() {
        // given: the stack changed in a later commit
        LocalTerraformBuild build = build(LOCAL_MODULES);
        InventoryRow row = Fixtures.row("from-commit");
        String commit = push(row);
        InventoryRow renamed = InventoryRow.approved(row.requestId(), Fixtures.request("from-a-later-commit"), "alice",
                Fixtures.T0);
        push(renamed);

        // when
        BuildStatus outcome = run(build, row, commit);

        // then
        assertThat(((BuildStatus.Succeeded) outcome).outputs().name(EC2)).isEqualTo("from-commit");
    }

    @Test
    void theLocalModuleFailsTheApplyOfARequestTaggedToSimulateAFailure() {
        // given
        LocalTerraformBuild build = build(LOCAL_MODULES);
        InstanceRequest base = Fixtures.request("doomed");
        Map<String, String> tags = new java.util.LinkedHashMap<>(base.tags());
        tags.put("oneclick-simulate", "apply-error");
        InstanceRequest request = new InstanceRequest(base.name(), base.requesterEmail(), base.region(), base.vpcId(),
                base.subnetId(), base.instanceType(), base.amiId(), base.keyName(), base.rootVolumeGiB(),
                base.securityGroupIds(), tags);
        InventoryRow row = InventoryRow.approved(RequestIds.newId(), request, "alice", Fixtures.T0);
        String commit = push(row);

        // when
        BuildStatus outcome = run(build, row, commit);

        // then
        assertThat(outcome).isInstanceOfSatisfying(BuildStatus.Failed.class, failed -> {
            assertThat(failed.phase()).isEqualTo("apply");
            assertThat(failed.reason()).startsWith("Error: ").contains("Simulated apply failure");
        });
    }

    @Test
    void aFailingApplyReportsTerraformsMessage() throws Exception {
        // given
        LocalTerraformBuild build = build(Path.of(getClass().getResource("/terraform/failing").toURI()));
        InventoryRow row = Fixtures.row("doomed");
        String commit = push(row);

        // when
        BuildStatus outcome = run(build, row, commit);

        // then
        assertThat(outcome).isInstanceOf(BuildStatus.Failed.class);
        String reason = ((BuildStatus.Failed) outcome).reason();
        assertThat(reason).startsWith("Error: ")
                .contains("Simulated failure: no capacity for t3.micro in eu-west-1.")
                .doesNotContain("\u001B[")
                .hasSizeLessThanOrEqualTo(LocalTerraformBuild.REASON_MAX);
    }

    @Test
    void outputsThatBreakTheContractFailTheBuildInsteadOfLeavingItHanging() throws Exception {
        // given a module whose apply succeeds but whose instance_id is an object
        LocalTerraformBuild build = build(Path.of(getClass().getResource("/terraform/wrong-outputs").toURI()));
        InventoryRow row = Fixtures.row("odd-outputs");
        String commit = push(row);

        // when
        BuildStatus outcome = run(build, row, commit);

        // then
        assertThat(outcome).isInstanceOf(BuildStatus.Failed.class);
        assertThat(((BuildStatus.Failed) outcome).phase()).isEqualTo("output");
        assertThat(((BuildStatus.Failed) outcome).reason()).contains("module contract")
                .contains("terraform output 'instance_id' is an object");
    }

    @Test
    void aStackWithATimeToLiveAppliesWithTheExpiryTagAndOneWithoutHasNone() throws Exception {
        // given: one request with a week to live, recorded at 2025-01-02T03:04:05.123456Z, and one without
        LocalTerraformBuild build = build(LOCAL_MODULES);
        InstanceRequest base = Fixtures.request("expiring");
        InstanceRequest week = new InstanceRequest(base.name(), base.requesterEmail(), base.region(), base.vpcId(),
                base.subnetId(), base.instanceType(), base.amiId(), base.keyName(), base.rootVolumeGiB(),
                base.securityGroupIds(), base.tags(), 168);
        InventoryRow expiring = InventoryRow.approved(RequestIds.newId(), week, "alice", Fixtures.T0);
        InventoryRow lasting = Fixtures.row("lasting");
        String commit1 = push(expiring);
        String commit2 = push(lasting);

        // when
        BuildStatus expiringOutcome = run(build, expiring, commit1);
        BuildStatus lastingOutcome = run(build, lasting, commit2);

        // then: the simulated instance's tags, as Terraform recorded them in the stack's state
        assertThat(expiringOutcome).isInstanceOf(BuildStatus.Succeeded.class);
        assertThat(lastingOutcome).isInstanceOf(BuildStatus.Succeeded.class);
        JsonNode expiringTags = stateTags(expiring.requestId());
        assertThat(expiringTags.path("oneclick:expires-at").asText()).isEqualTo("2025-01-09T03:04:05Z");
        assertThat(expiringTags.path("managed-by").asText()).isEqualTo("oneclick");
        assertThat(expiringTags.path("team").asText()).isEqualTo("platform");
        JsonNode lastingTags = stateTags(lasting.requestId());
        assertThat(lastingTags.path("managed-by").asText()).isEqualTo("oneclick");
        assertThat(lastingTags.has("oneclick:expires-at")).isFalse();
    }

    @Test
    void aVariableTheModuleRefusesFailsTheBuildWithTheValidationMessage() {
        // given: a stack whose tfvars break the module's rules (4 GiB root volume)
        LocalTerraformBuild build = build(LOCAL_MODULES);
        InstanceRequest base = Fixtures.request("tiny");
        InventoryRow row = InventoryRow.approved(RequestIds.newId(), new InstanceRequest(base.name(),
                base.requesterEmail(), base.region(), base.vpcId(), base.subnetId(), base.instanceType(), base.amiId(),
                base.keyName(), 4, base.securityGroupIds(), base.tags()), "alice", Fixtures.T0);
        String commit = push(row);

        // when
        BuildStatus outcome = run(build, row, commit);

        // then
        assertThat(outcome).isInstanceOf(BuildStatus.Failed.class);
        assertThat(((BuildStatus.Failed) outcome).reason()).startsWith("Error: Invalid value for variable")
                .contains("root_volume_gib must be a whole number between 8 and 2048.");
    }

    @Test
    void aMissingModulesDirectoryProductModuleOrBinaryFailsAtStartWithAClearMessage() throws IOException {
        // given: a modules directory with the EC2 module only
        Path ec2Only = Files.createDirectories(tmp.resolve("ec2-only").resolve("ec2-instance"));
        Files.copy(EC2_MODULE.resolve("versions.tf"), ec2Only.resolve("versions.tf"));

        // when / then
        assertThatThrownBy(() -> build(tmp.resolve("no-modules")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("modules directory")
                .hasMessageContaining("oneclick.build.terraform.modules-dir (ONECLICK_TERRAFORM_MODULES)");
        assertThatThrownBy(() -> build(ec2Only.getParent()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no module directory aurora-mysql/ for the product aurora-mysql")
                .hasMessageContaining("ONECLICK_TERRAFORM_MODULES");
        assertThatThrownBy(() -> build(EC2_MODULE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no module directory ec2-instance/");
        assertThatThrownBy(() -> new LocalTerraformBuild(repository, dataDir, "no-such-terraform-binary",
                LOCAL_MODULES, Duration.ofMinutes(1), 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-terraform-binary")
                .hasMessageContaining("ONECLICK_TERRAFORM_BIN");
    }

    @Test
    void everyLocalModuleOfTheCatalogIsFormattedAndValid() throws Exception {
        // given
        Result fmt = terraform(Map.of("CHECKPOINT_DISABLE", "1"), "fmt", "-check", "-recursive", "-no-color",
                LOCAL_MODULES.toString());
        assertThat(fmt.exit()).as("terraform fmt -check: %s", fmt.output()).isZero();

        for (Product product : ProductCatalog.standard().products()) {
            Path module = LOCAL_MODULES.resolve(product.module());
            Map<String, String> env = Map.of("TF_DATA_DIR", tmp.resolve("tf-data-" + product.module()).toString(),
                    "TF_IN_AUTOMATION", "1", "CHECKPOINT_DISABLE", "1");

            // when
            Result init = terraform(env, "-chdir=" + module, "init", "-backend=false", "-input=false", "-no-color");
            Result validate = terraform(env, "-chdir=" + module, "validate", "-no-color");

            // then
            assertThat(init.exit()).as("terraform init of %s: %s", module, init.output()).isZero();
            assertThat(validate.exit()).as("terraform validate of %s: %s", module, validate.output()).isZero();
            assertThat(validate.output()).contains("The configuration is valid");
            assertThat(module.resolve(".terraform")).doesNotExist();
            assertThat(module.resolve(".terraform.lock.hcl")).doesNotExist();
        }
    }

    @Test
    void applyOfTheLocalAuroraModuleGivesADeterministicSimulatedClusterWithItsOutputsAsText() throws IOException {
        // given: a cluster of two instances over two subnets, with a week to live
        LocalTerraformBuild build = build(LOCAL_MODULES);
        InstanceRequest base = Fixtures.auroraRequest("orders-db");
        InstanceRequest week = InstanceRequest.forProduct(base.product(), base.name(), base.requesterEmail(),
                base.region(), base.vpcId(), base.securityGroupIds(), base.tags(), 168, base.parameters());
        InventoryRow row = InventoryRow.approved(RequestIds.newId(), week, "alice", Fixtures.T0);
        String commit = push(row);

        // when
        BuildStatus first = run(build, row, commit);
        BuildStatus again = run(build, row, commit);

        // then: every output of the catalog, as text, in its order
        assertThat(first).isInstanceOf(BuildStatus.Succeeded.class);
        assertThat(again).isEqualTo(first);
        InstanceOutputs out = ((BuildStatus.Succeeded) first).outputs();
        String id = row.requestId();
        assertThat(out.values().keySet()).containsExactly("cluster_identifier", "cluster_name", "endpoint",
                "reader_endpoint", "port", "master_user_secret_arn", "availability_zones");
        assertThat(out.id(AURORA)).isEqualTo("oneclick-" + id);
        assertThat(out.name(AURORA)).isEqualTo("orders-db");
        assertThat(out.values().get("endpoint"))
                .matches("^oneclick-" + id + "\\.cluster-[0-9a-f]{12}\\.eu-west-1\\.rds\\.amazonaws\\.com$");
        assertThat(out.values().get("reader_endpoint")).isEqualTo(out.values().get("endpoint")
                .replace(".cluster-", ".cluster-ro-"));
        assertThat(out.values().get("port")).isEqualTo("3306");
        assertThat(out.values().get("master_user_secret_arn"))
                .matches("^arn:aws:secretsmanager:eu-west-1:000000000000:secret:rds!cluster-"
                        + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{6}$");
        assertThat(out.values().get("availability_zones")).isEqualTo("eu-west-1a, eu-west-1b");
        assertThat(out.privateIp()).isNull();
        assertThat(out.availabilityZone()).isNull();
        assertThat(AURORA_MODULE.resolve(".terraform")).doesNotExist();
        // then: the state holds the subnet group, the cluster with the platform's tags, and two instances
        JsonNode state = new ObjectMapper().readTree(
                dataDir.resolve("state").resolve(id).resolve("terraform.tfstate").toFile());
        List<String> resources = new java.util.ArrayList<>();
        state.path("resources").forEach(r -> resources.add(r.path("name").asText() + "×" + r.path("instances").size()));
        assertThat(resources).containsExactlyInAnyOrder("subnet_group×1", "cluster×1", "cluster_instance×2");
        JsonNode tags = input(id, "cluster").path("tags");
        assertThat(tags.path("oneclick:expires-at").asText()).isEqualTo("2025-01-09T03:04:05Z");
        assertThat(tags.path("managed-by").asText()).isEqualTo("oneclick");
        assertThat(tags.path("team").asText()).isEqualTo("payments");
        assertThat(input(id, "subnet_group").path("subnet_ids").toString())
                .isEqualTo("[\"subnet-0a1b2c3d\",\"subnet-1a2b3c4d\"]");
    }

    @Test
    void theLocalAuroraModuleFailsTheApplyOfARequestTaggedToSimulateAFailure() {
        // given
        LocalTerraformBuild build = build(LOCAL_MODULES);
        InventoryRow row = InventoryRow.approved(RequestIds.newId(),
                Fixtures.auroraRequest("doomed-db", Map.of("oneclick-simulate", "apply-error")), "alice", Fixtures.T0);
        String commit = push(row);

        // when
        BuildStatus outcome = run(build, row, commit);

        // then
        assertThat(outcome).isInstanceOfSatisfying(BuildStatus.Failed.class, failed -> {
            assertThat(failed.phase()).isEqualTo("apply");
            assertThat(failed.reason()).startsWith("Error: ").contains("Simulated apply failure");
        });
    }

    @Test
    void failureReasonsAreTerraformsErrorWithoutColourAndBounded() {
        assertThat(LocalTerraformBuild.failureReason("noise\n\u001B[31mError: \u001B[0mboom\n", "fallback"))
                .isEqualTo("Error: boom");
        assertThat(LocalTerraformBuild.failureReason("  ", "fallback")).isEqualTo("fallback");
        assertThat(LocalTerraformBuild.failureReason("Error: " + "x".repeat(5000), "f"))
                .hasSize(LocalTerraformBuild.REASON_MAX);
    }

    /** The input of the stack's first terraform_data resource of that name, read from its state file. */
    private JsonNode input(String requestId, String name) throws IOException {
        JsonNode state = new ObjectMapper().readTree(
                dataDir.resolve("state").resolve(requestId).resolve("terraform.tfstate").toFile());
        for (JsonNode resource : state.path("resources")) {
            if (resource.path("type").asText().equals("terraform_data") && resource.path("name").asText().equals(name)) {
                return resource.path("instances").path(0).path("attributes").path("input").path("value");
            }
        }
        throw new AssertionError("no terraform_data." + name + " in the state of " + requestId);
    }

    /** The tags of the stack's terraform_data.instance input, read from its state file. */
    private JsonNode stateTags(String requestId) throws IOException {
        JsonNode state = new ObjectMapper().readTree(
                dataDir.resolve("state").resolve(requestId).resolve("terraform.tfstate").toFile());
        for (JsonNode resource : state.path("resources")) {
            if (resource.path("type").asText().equals("terraform_data") && resource.path("name").asText().equals("instance")) {
                JsonNode tags = resource.path("instances").path(0).path("attributes").path("input").path("value")
                        .path("tags");
                assertThat(tags.isObject()).as("tags in the state of %s: %s", requestId, resource).isTrue();
                return tags;
            }
        }
        throw new AssertionError("no terraform_data.instance in the state of " + requestId);
    }

    private LocalTerraformBuild build(Path modules) {
        return new LocalTerraformBuild(repository, dataDir, "terraform", modules, Duration.ofMinutes(2), 2);
    }

    /** Starts the build of the row's stack and asks for its status until it ended, as the provisioning driver does. */
    private static BuildStatus run(LocalTerraformBuild build, InventoryRow row, String commitId) {
        String requestId = row.requestId();
        Product product = row.request().catalogProduct().orElseThrow();
        String buildId = build.start(requestId, commitId, product).orElseThrow();
        AtomicReference<BuildStatus> status = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            status.set(build.status(requestId, commitId, buildId, product));
            return !(status.get() instanceof BuildStatus.Running);
        });
        return status.get();
    }

    private String push(InventoryRow row) {
        return repository.pushStack(row.requestId(), new TfvarsWriter().stackFiles(row), "Provision " + row.requestId());
    }

    private record Result(int exit, String output) {
    }

    private Result terraform(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("terraform"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "terraform", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("terraform %s finished", List.of(args)).isTrue();
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
