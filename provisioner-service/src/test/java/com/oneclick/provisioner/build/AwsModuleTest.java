package com.oneclick.provisioner.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.InstanceType;
import com.oneclick.model.RequestIds;
import com.oneclick.model.catalog.Output;
import com.oneclick.model.catalog.Parameter;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.stack.TfvarsWriter;
import com.oneclick.provisioner.support.Fixtures;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product modules of both build modes against the product catalog, the AWS modules, and the
 * buildspec's scripts, with the real Terraform CLI, git and jq. {@code terraform validate} of terraform/aws
 * needs the hashicorp/aws provider, which cannot be downloaded here: the AWS modules are checked by
 * {@code fmt -check}, by their interface (the catalog's variables and outputs, the same as the local
 * module's), and by planning their variables file alone (the validation blocks, no provider needed);
 * where a local provider mirror exists ({@code ONECLICK_TF_PLUGIN_DIR}, default {@code /opt/tf-plugins},
 * holding hashicorp/aws), each AWS module is also initialised from it and validated, and the test says
 * it was skipped otherwise.
 */
class AwsModuleTest {

    static final Path TERRAFORM = Path.of("..", "terraform").toAbsolutePath().normalize();
    static final Path AWS_MODULES = TERRAFORM.resolve("aws");
    static final Path LOCAL_MODULES = TERRAFORM.resolve("local");
    static final Path EC2_AWS = AWS_MODULES.resolve("ec2-instance");
    static final Path AURORA_AWS = AWS_MODULES.resolve("aurora-mysql");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOCK = Pattern.compile("(?m)^(variable|output)\\s+\"([^\"]+)\"\\s*\\{");
    private static final Pattern TYPE = Pattern.compile("(?m)^\\s*type\\s*=\\s*(\\S+)");
    private static final String ID_A = "0b6f0c3e-8f7a-4a57-9a0d-3f1c2b4d5e6f";
    private static final String ID_B = "1c7a1d4f-9a8b-4b68-8b1e-4a2d3c5e6f70";
    private static final String ID_C = "2d8b2e50-ab9c-4c79-9c2f-5b3e4d6f7081";
    private static final String ID_D = "3e9c3f61-bcad-4d8a-ad30-6c4f5e708192";
    private static final String ID_E = "4fad4072-cdbe-4e9b-be41-7d506f8192a3";
    private static final String STACK_EC2 = "{\n  \"product\" : \"ec2-instance\",\n  \"module\" : \"ec2-instance\"\n}\n";
    private static final String STACK_AURORA = "{\n  \"product\" : \"aurora-mysql\",\n  \"module\" : \"aurora-mysql\"\n}\n";

    @TempDir
    Path tmp;

    @Test
    void everyCatalogProductHasAModulePerBuildModeWithTheVariablesItMapsAndTheOutputsItLists() throws IOException {
        for (Product product : ProductCatalog.standard().products()) {
            // given
            Path aws = AWS_MODULES.resolve(product.module());
            Path local = LOCAL_MODULES.resolve(product.module());
            Set<String> outputs = new LinkedHashSet<>();
            product.outputs().stream().map(Output::name).forEach(outputs::add);
            outputs.add("simulated");

            // when
            Map<String, String> awsVariables = blocks(aws, "variable");
            Map<String, String> localVariables = blocks(local, "variable");
            Map<String, String> awsOutputs = blocks(aws, "output");
            Map<String, String> localOutputs = blocks(local, "output");

            // then: the catalog's variables (names), with the same types in both modes, and its outputs
            assertThat(aws).as("terraform/aws/%s", product.module()).isDirectory();
            assertThat(local).as("terraform/local/%s", product.module()).isDirectory();
            assertThat(awsVariables.keySet()).as("variables of terraform/aws/%s", product.module())
                    .containsExactlyInAnyOrderElementsOf(product.variables().keySet());
            assertThat(localVariables).as("variables of terraform/local/%s", product.module()).isEqualTo(awsVariables);
            assertThat(awsOutputs.keySet()).as("outputs of terraform/aws/%s", product.module())
                    .containsExactlyInAnyOrderElementsOf(outputs);
            assertThat(localOutputs.keySet()).as("outputs of terraform/local/%s", product.module())
                    .containsExactlyInAnyOrderElementsOf(outputs);
        }
        assertThat(ProductCatalog.standard().names()).containsExactlyInAnyOrder("ec2-instance", "aurora-mysql");
    }

    @Test
    void theStacksTheProvisionerWritesSetExactlyTheirModulesVariables() throws IOException {
        for (InventoryRow row : List.of(Fixtures.row("web-1"), Fixtures.auroraRow("orders-db"))) {
            // given
            Product product = row.request().catalogProduct().orElseThrow();

            // when
            List<String> written = new ArrayList<>();
            JSON.readTree(new TfvarsWriter().tfvars(row)).fieldNames().forEachRemaining(written::add);

            // then
            assertThat(written).as("tfvars of %s", product.name())
                    .containsExactlyInAnyOrderElementsOf(blocks(AWS_MODULES.resolve(product.module()), "variable").keySet());
        }
    }

    @Test
    void everyChoiceParameterIsValidatedWithTheCatalogsChoicesInBothModes() throws IOException {
        int checked = 0;
        for (Product product : ProductCatalog.standard().products()) {
            for (Map.Entry<String, String> variable : product.variables().entrySet()) {
                if (!variable.getValue().startsWith("parameters.")) {
                    continue;
                }
                Parameter parameter = product.parameter(variable.getValue().substring("parameters.".length()))
                        .orElseThrow();
                if (parameter.kind() != Parameter.Kind.CHOICE) {
                    continue;
                }
                for (Path modules : List.of(AWS_MODULES, LOCAL_MODULES)) {
                    // when
                    List<String> allowed = containsList(modules.resolve(product.module()), variable.getKey());

                    // then
                    assertThat(allowed).as("%s of %s/%s", variable.getKey(), modules.getFileName(), product.module())
                            .containsExactlyElementsOf(parameter.choices());
                    checked++;
                }
            }
        }
        assertThat(checked).as("instance_class and engine_version in both modes").isEqualTo(4);
    }

    @Test
    void theModulesAreFormattedAndTheEc2ModuleDescribesTheInstanceThePlatformPromises() throws Exception {
        // when
        Result fmt = run(tmp, Map.of(), "terraform", "fmt", "-check", "-recursive", "-no-color", TERRAFORM.toString());
        String main = Files.readString(EC2_AWS.resolve("main.tf"));
        String versions = Files.readString(EC2_AWS.resolve("versions.tf"));

        // then
        assertThat(fmt.exit()).as("terraform fmt -check: %s", fmt.output()).isZero();
        assertThat(main).contains("resource \"aws_instance\" \"this\"", "http_tokens                 = \"required\"",
                "encrypted             = true", "volume_type           = \"gp3\"", "\"managed-by\"          = \"oneclick\"",
                "\"oneclick:request-id\" = var.request_id");
        assertThat(versions).contains("backend \"s3\" {", "use_lockfile = true", "region = var.region");
        assertThat(EC2_AWS.resolve(".terraform")).doesNotExist();
    }

    @Test
    void everyAwsModuleValidatesWithTheAwsProviderWhenAProviderMirrorIsAvailable() throws Exception {
        // given a provider mirror holding hashicorp/aws (no registry is reachable from the tests)
        Path mirror = Path.of(System.getenv().getOrDefault("ONECLICK_TF_PLUGIN_DIR", "/opt/tf-plugins"));
        Assumptions.assumeTrue(Files.isDirectory(mirror.resolve("registry.terraform.io/hashicorp/aws")),
                "no hashicorp/aws provider mirror at " + mirror + " (set ONECLICK_TF_PLUGIN_DIR)");

        for (Product product : ProductCatalog.standard().products()) {
            // when the module, copied alone, is initialised without a backend and validated
            Path copy = tmp.resolve("validate-" + product.module());
            Files.createDirectories(copy);
            try (Stream<Path> files = Files.list(AWS_MODULES.resolve(product.module()))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".tf")).toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
            Map<String, String> env = Map.of("TF_IN_AUTOMATION", "1", "CHECKPOINT_DISABLE", "1");
            Result init = run(copy, env, "terraform", "init", "-backend=false", "-input=false", "-no-color",
                    "-plugin-dir=" + mirror);
            Result validate = run(copy, env, "terraform", "validate", "-no-color");

            // then
            assertThat(init.exit()).as("init of %s: %s", product.module(), init.output()).isZero();
            assertThat(validate.exit()).as("validate of %s: %s", product.module(), validate.output()).isZero();
            assertThat(validate.output()).contains("The configuration is valid");
        }
    }

    @Test
    void theAuroraModuleKeepsThePasswordInSecretsManagerAndDescribesTheClusterThePlatformPromises() throws IOException {
        // when
        String main = Files.readString(AURORA_AWS.resolve("main.tf"));
        String versions = Files.readString(AURORA_AWS.resolve("versions.tf"));
        String outputs = Files.readString(AURORA_AWS.resolve("outputs.tf"));

        // then
        assertThat(main).contains(
                "resource \"aws_db_subnet_group\" \"this\"", "subnet_ids  = var.subnet_ids",
                "resource \"aws_rds_cluster\" \"this\"", "engine             = \"aurora-mysql\"",
                "engine_version     = var.engine_version", "database_name      = var.database_name",
                "master_username    = var.master_username", "manage_master_user_password = true",
                "storage_encrypted       = true", "backup_retention_period = var.backup_retention_days",
                "vpc_security_group_ids = var.security_group_ids", "db_subnet_group_name   = aws_db_subnet_group.this.name",
                "copy_tags_to_snapshot   = true", "skip_final_snapshot       = false",
                "final_snapshot_identifier = \"${local.identifier}-final\"",
                "resource \"aws_rds_cluster_instance\" \"this\"", "count = var.instances",
                "instance_class       = var.instance_class", "publicly_accessible  = false",
                "data \"aws_subnet\" \"selected\"", "subnet.vpc_id == var.vpc_id", "length(local.subnet_zones) >= 2",
                "\"managed-by\"          = \"oneclick\"", "\"oneclick:request-id\" = var.request_id",
                "\"oneclick:expires-at\" = var.expires_at");
        assertThat(outputs).contains("master_user_secret[0].secret_arn");
        for (Path module : List.of(AURORA_AWS, LOCAL_MODULES.resolve("aurora-mysql"))) {
            for (String file : List.of("main.tf", "variables.tf", "outputs.tf")) {
                String text = Files.readString(module.resolve(file));
                assertThat(text).as("%s/%s", module, file).doesNotContain("master_password")
                        .doesNotContainPattern("(?m)^(variable|output)\\s+\"[^\"]*password");
            }
        }
        assertThat(versions).contains("backend \"s3\" {", "use_lockfile = true", "region = var.region");
        assertThat(AURORA_AWS.resolve(".terraform")).doesNotExist();
    }

    @Test
    void theLocalAuroraModuleHasTheAwsModulesVariableRules() throws IOException {
        // when: the variables of both modes, without their header comments
        String aws = Files.readString(AURORA_AWS.resolve("variables.tf"));
        String local = Files.readString(LOCAL_MODULES.resolve("aurora-mysql").resolve("variables.tf"));

        // then
        assertThat(local.substring(local.indexOf("variable \""))).isEqualTo(aws.substring(aws.indexOf("variable \"")));
    }

    @Test
    void validationAcceptsARequestThePlatformAcceptsAndRefusesWhatTheValidatorRefuses() throws Exception {
        // given: the module's variables alone, which plan without any provider
        Path scratch = variablesOnly(EC2_AWS);
        TfvarsWriter writer = new TfvarsWriter();
        Files.writeString(scratch.resolve("good.tfvars.json"), writer.tfvars(Fixtures.row("web-1")));
        InstanceRequest bad = new InstanceRequest("web\n1", "dev@", "eu-west-1", "vpc-0a1b2c3d", "subnet-0a1b2c3d",
                "t2.micro", "ami-0a1b2c3d", "-----BEGIN RSA PRIVATE KEY-----", 4,
                List.of("sg-0a1b2c3d", "sg-0a1b2c3d"), Map.of("aws:owner", "x"));
        Files.writeString(scratch.resolve("bad.tfvars.json"),
                writer.tfvars(InventoryRow.approved(RequestIds.newId(), bad, "alice", Fixtures.T0)));

        // when
        Result good = plan(scratch, "good.tfvars.json");
        Result refused = plan(scratch, "bad.tfvars.json");

        // then
        assertThat(good.exit()).as("plan of a valid request: %s", good.output()).isZero();
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output().replaceAll("\\s+", " ")).contains(
                "name must be 1 to 128 characters without line breaks",
                "requester_email must be an email address",
                "instance_type must be one of the allowed types",
                "key_name looks like a private key",
                "root_volume_gib must be a whole number between 8 and 2048",
                "security_group_ids must list at most 5 groups, none twice",
                "tags must not use keys starting with 'aws:'");
        assertThat(RequestValidator.validate(bad)).extracting(FieldViolation::field)
                .contains("name", "requesterEmail", "instanceType", "keyName", "rootVolumeGiB", "securityGroupIds",
                        "tags[aws:owner]");
    }

    @Test
    void auroraValidationAcceptsARequestThePlatformAcceptsAndRefusesWhatTheCatalogRefuses() throws Exception {
        // given: the aurora module's variables alone; a valid request, and two that break every parameter's rule
        Path scratch = variablesOnly(AURORA_AWS);
        TfvarsWriter writer = new TfvarsWriter();
        Files.writeString(scratch.resolve("good.tfvars.json"), writer.tfvars(Fixtures.auroraRow("orders-db")));
        InstanceRequest tooFew = aurora(Map.of("subnetIds", "subnet-0a1b2c3d", "instanceClass", "db.m5.huge",
                "engineVersion", "5.7.mysql_aurora.2.11.2", "instances", "4", "databaseName", "1orders",
                "masterUsername", "admin-user", "backupRetentionDays", "36"));
        InstanceRequest badIds = aurora(Map.of("subnetIds", "subnet-0a1b2c3d,subnet-XYZ,subnet-0a1b2c3d",
                "instanceClass", "db.t4g.medium", "engineVersion", "8.0.mysql_aurora.3.08.0", "instances", "0",
                "databaseName", "orders", "masterUsername", "a_very_long_user_name", "backupRetentionDays", "0"));
        Files.writeString(scratch.resolve("few.tfvars.json"),
                writer.tfvars(InventoryRow.approved(RequestIds.newId(), tooFew, "alice", Fixtures.T0)));
        Files.writeString(scratch.resolve("ids.tfvars.json"),
                writer.tfvars(InventoryRow.approved(RequestIds.newId(), badIds, "alice", Fixtures.T0)));

        // when
        Result good = plan(scratch, "good.tfvars.json");
        Result few = plan(scratch, "few.tfvars.json");
        Result ids = plan(scratch, "ids.tfvars.json");

        // then
        assertThat(good.exit()).as("plan of a valid request: %s", good.output()).isZero();
        assertThat(few.exit()).isNotZero();
        assertThat(few.output().replaceAll("\\s+", " ")).contains(
                "subnet_ids must list 2 to 6 values",
                "instance_class must be one of: db.t4g.medium",
                "engine_version must be one of: 8.0.mysql_aurora.3.08.0",
                "instances must be a whole number from 1 to 3",
                "database_name must start with a letter",
                "master_username must start with a letter",
                "backup_retention_days must be a whole number from 1 to 35");
        assertThat(ids.exit()).isNotZero();
        assertThat(ids.output().replaceAll("\\s+", " ")).contains(
                "subnet_ids: each must be a subnet ID",
                "subnet_ids must not list a value twice",
                "instances must be a whole number from 1 to 3",
                "master_username must start with a letter",
                "backup_retention_days must be a whole number from 1 to 35");
        assertThat(RequestValidator.validate(tooFew)).extracting(FieldViolation::field).contains(
                "parameters[subnetIds]", "parameters[instanceClass]", "parameters[engineVersion]",
                "parameters[instances]", "parameters[databaseName]", "parameters[masterUsername]",
                "parameters[backupRetentionDays]");
        assertThat(RequestValidator.validate(badIds)).extracting(FieldViolation::field).contains(
                "parameters[subnetIds]", "parameters[instances]", "parameters[masterUsername]",
                "parameters[backupRetentionDays]");
    }

    @Test
    void instanceTypeAllowListIsThePlatforms() throws IOException {
        // when
        List<String> allowed = containsList(EC2_AWS, "instance_type");

        // then
        assertThat(allowed).containsExactlyElementsOf(InstanceType.ALLOWED.stream().map(InstanceType::name).toList());
    }

    @Test
    void changedStacksListsTheStacksACommitAddedOrChangedAndSkipsRemovedOnes() throws Exception {
        // given: the infrastructure repository's history, with EC2 stacks and an Aurora one
        Path repo = tmp.resolve("infra");
        String root;
        String addsTwo;
        String revertsOneChangesOther;
        String docsOnly;
        String auroraModuleOnly;
        try (Git git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call()) {
            write(repo, "terraform/aws/ec2-instance/main.tf", "# module\n");
            write(repo, "stacks/" + ID_A + "/terraform.tfvars.json", "{}\n");
            root = commit(git, "Provision A");
            write(repo, "stacks/" + ID_B + "/terraform.tfvars.json", "{}\n");
            write(repo, "stacks/" + ID_B + "/stack.json", STACK_EC2);
            write(repo, "stacks/" + ID_C + "/terraform.tfvars.json", "{\"subnet_ids\": []}\n");
            write(repo, "stacks/" + ID_C + "/stack.json", STACK_AURORA);
            write(repo, "stacks/notes/terraform.tfvars.json", "{}\n");
            addsTwo = commit(git, "Provision B and C");
            git.rm().addFilepattern("stacks/" + ID_A).call();
            write(repo, "stacks/" + ID_B + "/terraform.tfvars.json", "{\"name\": \"b\"}\n");
            revertsOneChangesOther = commit(git, "Revert A, change B");
            write(repo, "README.md", "infra\n");
            docsOnly = commit(git, "Docs");
            write(repo, "stacks/" + ID_C + "/stack.json", STACK_AURORA.replace("\n}", ",\n  \"note\" : \"x\"\n}"));
            write(repo, "terraform/aws/aurora-mysql/main.tf", "# module\n");
            auroraModuleOnly = commit(git, "Touch the aurora stack's stack.json and module");
        }
        Path script = AWS_MODULES.resolve("changed-stacks.sh");

        // when
        Result first = run(repo, Map.of(), "bash", script.toString(), root);
        Result second = run(repo, Map.of(), "bash", script.toString(), addsTwo);
        Result third = run(repo, Map.of(), "bash", script.toString(), revertsOneChangesOther);
        Result fourth = run(repo, Map.of(), "bash", script.toString(), docsOnly);
        Result fifth = run(repo, Map.of(), "bash", script.toString(), auroraModuleOnly);
        Result unknown = run(repo, Map.of(), "bash", script.toString(), "f".repeat(40));

        // then
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).isEqualTo(ID_A + "\n");
        assertThat(second.output()).isEqualTo(ID_B + "\n" + ID_C + "\n");
        assertThat(third.output()).isEqualTo(ID_B + "\n");
        assertThat(fourth.exit()).isZero();
        assertThat(fourth.output()).isEmpty();
        assertThat(fifth.output()).isEqualTo(ID_C + "\n");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.output()).contains("is not a commit of this repository");
    }

    @Test
    void changedStacksAsksForADeeperCloneWhenTheParentIsMissing() throws Exception {
        // given: a clone of depth 1, as CodeBuild makes by default
        Path origin = tmp.resolve("origin");
        String head;
        try (Git git = Git.init().setInitialBranch("main").setDirectory(origin.toFile()).call()) {
            write(origin, "stacks/" + ID_A + "/terraform.tfvars.json", "{}\n");
            commit(git, "Provision A");
            write(origin, "stacks/" + ID_B + "/terraform.tfvars.json", "{}\n");
            head = commit(git, "Provision B");
        }
        Path shallow = tmp.resolve("shallow");
        Result clone = run(tmp, Map.of(), "git", "clone", "-q", "--depth", "1", origin.toUri().toString(),
                shallow.toString());
        assertThat(clone.exit()).as(clone.output()).isZero();

        // when
        Result result = run(shallow, Map.of(), "bash", AWS_MODULES.resolve("changed-stacks.sh").toString(), head);

        // then
        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.output()).contains("is not in this clone", "git clone depth to 2 or more");
    }

    /**
     * apply-stacks.sh's choice of module per stack. Its S3 backend cannot be reached from here, so the
     * {@code terraform} on its PATH is a recording stand-in (it logs its arguments and prints an output
     * document naming the module it ran in); the module choice, the refusals and the outputs files are the
     * script's own, with the real jq.
     */
    @Test
    void applyStacksAppliesEachStackWithTheModuleItsStackJsonNamesAndRefusesAnyOtherName() throws Exception {
        // given: the infrastructure repository's checkout, as CodeBuild has it
        Path repo = tmp.resolve("checkout");
        for (String module : List.of("ec2-instance", "aurora-mysql")) {
            write(repo, "terraform/aws/" + module + "/main.tf", "# " + module + "\n");
        }
        write(repo, "stacks/" + ID_A + "/terraform.tfvars.json", "{}\n");
        write(repo, "stacks/" + ID_A + "/stack.json", STACK_EC2);
        write(repo, "stacks/" + ID_B + "/terraform.tfvars.json", "{}\n");
        write(repo, "stacks/" + ID_B + "/stack.json", STACK_AURORA);
        write(repo, "stacks/" + ID_C + "/terraform.tfvars.json", "{}\n");
        write(repo, "stacks/" + ID_D + "/terraform.tfvars.json", "{}\n");
        write(repo, "stacks/" + ID_D + "/stack.json", "{\"product\": \"x\", \"module\": \"../../../etc\"}\n");
        write(repo, "stacks/" + ID_E + "/terraform.tfvars.json", "{}\n");
        write(repo, "stacks/" + ID_E + "/stack.json", "{\"product\": \"s3-bucket\", \"module\": \"s3-bucket\"}\n");
        write(repo, "changed-stacks.txt", String.join("\n", ID_A, ID_B, ID_C, ID_D, ID_E) + "\n");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("terraform-calls.log");
        Path terraform = bin.resolve("terraform");
        Files.writeString(terraform, """
                #!/usr/bin/env bash
                # records its arguments; `output -json` prints the module directory it ran in
                printf '%s\\n' "$*" >>"$TERRAFORM_CALLS"
                dir=${1#-chdir=}
                if [ "$2" = output ]; then
                  printf '{"module":{"sensitive":false,"type":"string","value":"%s"}}\\n' "$dir"
                fi
                """);
        Files.setPosixFilePermissions(terraform, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "TERRAFORM_CALLS", calls.toString(),
                "ONECLICK_STATE_BUCKET", "state-bucket", "AWS_REGION", "eu-west-1");

        // when
        Result result = run(repo, env, "bash", AWS_MODULES.resolve("apply-stacks.sh").toString(), "changed-stacks.txt");

        // then: the three good stacks applied with their modules (no stack.json: an EC2 stack of before products)
        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(moduleOf(repo, ID_A)).isEqualTo("terraform/aws/ec2-instance");
        assertThat(moduleOf(repo, ID_B)).isEqualTo("terraform/aws/aurora-mysql");
        assertThat(moduleOf(repo, ID_C)).isEqualTo("terraform/aws/ec2-instance");
        assertThat(Files.readAllLines(calls)).contains(
                "-chdir=terraform/aws/aurora-mysql init -input=false -no-color -reconfigure -backend-config=bucket=state-bucket"
                        + " -backend-config=key=stacks/" + ID_B + "/terraform.tfstate -backend-config=region=eu-west-1",
                "-chdir=terraform/aws/aurora-mysql plan -input=false -no-color -var-file=" + repo.toRealPath()
                        + "/stacks/" + ID_B + "/terraform.tfvars.json -out=" + repo.toRealPath() + "/.terraform-stacks/"
                        + ID_B + "/plan");
        // then: the two others failed without Terraform, with the reason where the provisioner reads it
        assertThat(repo.resolve("outputs/" + ID_D + ".failed")).content()
                .startsWith("Error: stacks/" + ID_D + "/stack.json names no module directory").contains("../../../etc");
        assertThat(repo.resolve("outputs/" + ID_E + ".failed")).content()
                .startsWith("Error: stacks/" + ID_E + "/stack.json names module 's3-bucket', which terraform/aws does not have");
        assertThat(repo.resolve("outputs/" + ID_D + ".json")).doesNotExist();
        assertThat(Files.readString(calls)).doesNotContain("etc").doesNotContain("s3-bucket");
        assertThat(repo.resolve("outputs/stacks.txt")).hasSameTextualContentAs(repo.resolve("changed-stacks.txt"));
        assertThat(result.output()).contains("2 stack(s) failed");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** {@code variable}/{@code output} blocks of a module's .tf files: name → declared type ("" for outputs). */
    private static Map<String, String> blocks(Path module, String kind) throws IOException {
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> files = Files.list(module)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".tf")).sorted().toList()) {
                String text = Files.readString(file);
                Matcher block = BLOCK.matcher(text);
                List<int[]> starts = new ArrayList<>();
                List<String> names = new ArrayList<>();
                while (block.find()) {
                    if (block.group(1).equals(kind)) {
                        starts.add(new int[] {block.end(), nextBlock(text, block.end())});
                        names.add(block.group(2));
                    }
                }
                for (int i = 0; i < names.size(); i++) {
                    String body = text.substring(starts.get(i)[0], starts.get(i)[1]);
                    Matcher type = TYPE.matcher(body);
                    found.put(names.get(i), type.find() ? type.group(1) : "");
                }
            }
        }
        return found;
    }

    private static int nextBlock(String text, int from) {
        Matcher next = Pattern.compile("(?m)^[a-z]+\\s+\"").matcher(text);
        return next.find(from) ? next.start() : text.length();
    }

    /** The values of a {@code contains([...], var.<variable>)} validation of a module's variables.tf. */
    private static List<String> containsList(Path module, String variable) throws IOException {
        String variables = Files.readString(module.resolve("variables.tf")).replaceAll("\\s+", " ");
        Matcher list = Pattern.compile("condition = contains\\(\\[([^]]*)]\\s*,\\s*var\\." + variable + "\\)")
                .matcher(variables);
        assertThat(list.find()).as("the %s validation of %s lists the allowed values", variable, module).isTrue();
        return Arrays.stream(list.group(1).split(","))
                .map(s -> s.strip().replace("\"", "")).filter(s -> !s.isEmpty()).toList();
    }

    /** A scratch directory with the module's variables.tf alone, initialised (no provider needed). */
    private Path variablesOnly(Path module) throws Exception {
        Path scratch = Files.createDirectories(tmp.resolve("variables-only-" + module.getFileName()));
        Files.copy(module.resolve("variables.tf"), scratch.resolve("variables.tf"));
        Result init = run(scratch, tfEnv(scratch), "terraform", "init", "-input=false", "-no-color");
        assertThat(init.exit()).as("terraform init: %s", init.output()).isZero();
        return scratch;
    }

    private Result plan(Path scratch, String varFile) throws Exception {
        return run(scratch, tfEnv(scratch), "terraform", "plan", "-input=false", "-no-color", "-var-file=" + varFile);
    }

    private Map<String, String> tfEnv(Path module) {
        return Map.of("TF_DATA_DIR", tmp.resolve("tf-data-" + module.getFileName()).toString(), "TF_IN_AUTOMATION", "1",
                "CHECKPOINT_DISABLE", "1");
    }

    private static InstanceRequest aurora(Map<String, String> parameters) {
        InstanceRequest base = Fixtures.auroraRequest("orders-db");
        return InstanceRequest.forProduct(base.product(), base.name(), base.requesterEmail(), base.region(),
                base.vpcId(), base.securityGroupIds(), base.tags(), null, new LinkedHashMap<>(parameters));
    }

    /** The module directory a stack's recorded outputs name (the stand-in terraform's output). */
    private static String moduleOf(Path repo, String id) throws IOException {
        JsonNode outputs = JSON.readTree(repo.resolve("outputs/" + id + ".json").toFile());
        return outputs.path("module").path("value").asText();
    }

    private static void write(Path repo, String path, String content) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("Test", "test@example.com");
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).setAll(true).call()
                .name();
    }

    private record Result(int exit, String output) {
    }

    private Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        Path log = Files.createTempFile(tmp, "run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(new LinkedHashMap<>(env));
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s finished", List.of(command)).isTrue();
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
