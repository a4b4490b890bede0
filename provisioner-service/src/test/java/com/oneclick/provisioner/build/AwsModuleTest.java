package com.oneclick.provisioner.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.InstanceType;
import com.oneclick.model.RequestIds;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.stack.TfvarsWriter;
import com.oneclick.provisioner.support.Fixtures;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS module and its buildspec scripts, with the real Terraform CLI and git. {@code terraform validate}
 * of terraform/aws needs the hashicorp/aws provider, which cannot be downloaded here, so the module is
 * checked by {@code fmt -check}, by its interface (the same variables and outputs as terraform/local), and
 * by planning its variables file alone (the validation blocks, no provider needed).
 */
class AwsModuleTest {

    static final Path TERRAFORM = Path.of("..", "terraform").toAbsolutePath().normalize();
    static final Path AWS_MODULE = TERRAFORM.resolve("aws");
    static final Path LOCAL_MODULE = TERRAFORM.resolve("local");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOCK = Pattern.compile("(?m)^(variable|output)\\s+\"([^\"]+)\"\\s*\\{");
    private static final Pattern TYPE = Pattern.compile("(?m)^\\s*type\\s*=\\s*(\\S+)");
    private static final String ID_A = "0b6f0c3e-8f7a-4a57-9a0d-3f1c2b4d5e6f";
    private static final String ID_B = "1c7a1d4f-9a8b-4b68-8b1e-4a2d3c5e6f70";
    private static final String ID_C = "2d8b2e50-ab9c-4c79-9c2f-5b3e4d6f7081";

    @TempDir
    Path tmp;

    @Test
    void awsModuleHasTheVariablesTypesAndOutputsOfTheLocalModule() throws IOException {
        // given
        Map<String, String> awsVariables = blocks(AWS_MODULE, "variable");
        Map<String, String> localVariables = blocks(LOCAL_MODULE, "variable");

        // when
        Map<String, String> awsOutputs = blocks(AWS_MODULE, "output");
        Map<String, String> localOutputs = blocks(LOCAL_MODULE, "output");

        // then
        assertThat(awsVariables).isEqualTo(localVariables).containsKeys("request_id", "subnet_id", "tags");
        assertThat(awsOutputs.keySet()).isEqualTo(localOutputs.keySet())
                .contains("instance_id", "instance_name", "private_ip", "availability_zone", "simulated");
        List<String> written = new ArrayList<>();
        JSON.readTree(new TfvarsWriter().tfvars(Fixtures.row("web-1"))).fieldNames().forEachRemaining(written::add);
        assertThat(written).containsExactlyInAnyOrderElementsOf(awsVariables.keySet());
    }

    @Test
    void awsModuleIsFormattedAndDescribesTheInstanceThePlatformPromises() throws Exception {
        // when
        Result fmt = run(tmp, Map.of(), "terraform", "fmt", "-check", "-recursive", "-no-color", AWS_MODULE.toString());
        String main = Files.readString(AWS_MODULE.resolve("main.tf"));
        String versions = Files.readString(AWS_MODULE.resolve("versions.tf"));

        // then
        assertThat(fmt.exit()).as("terraform fmt -check: %s", fmt.output()).isZero();
        assertThat(main).contains("resource \"aws_instance\" \"this\"", "http_tokens                 = \"required\"",
                "encrypted             = true", "volume_type           = \"gp3\"", "\"managed-by\"          = \"oneclick\"",
                "\"oneclick:request-id\" = var.request_id");
        assertThat(versions).contains("backend \"s3\" {", "use_lockfile = true", "region = var.region");
        assertThat(AWS_MODULE.resolve(".terraform")).doesNotExist();
    }

    @Test
    void validationAcceptsARequestThePlatformAcceptsAndRefusesWhatTheValidatorRefuses() throws Exception {
        // given: the module's variables alone, which plan without any provider
        Path scratch = Files.createDirectories(tmp.resolve("variables-only"));
        Files.copy(AWS_MODULE.resolve("variables.tf"), scratch.resolve("variables.tf"));
        Map<String, String> env = Map.of("TF_DATA_DIR", tmp.resolve("tf-data").toString(), "TF_IN_AUTOMATION", "1",
                "CHECKPOINT_DISABLE", "1");
        Result init = run(scratch, env, "terraform", "init", "-input=false", "-no-color");
        assertThat(init.exit()).as("terraform init: %s", init.output()).isZero();
        TfvarsWriter writer = new TfvarsWriter();
        Files.writeString(scratch.resolve("good.tfvars.json"), writer.tfvars(Fixtures.row("web-1")));
        InstanceRequest bad = new InstanceRequest("web\n1", "dev@", "eu-west-1", "vpc-0a1b2c3d", "subnet-0a1b2c3d",
                "t2.micro", "ami-0a1b2c3d", "-----BEGIN RSA PRIVATE KEY-----", 4,
                List.of("sg-0a1b2c3d", "sg-0a1b2c3d"), Map.of("aws:owner", "x"));
        Files.writeString(scratch.resolve("bad.tfvars.json"),
                writer.tfvars(InventoryRow.approved(RequestIds.newId(), bad, "alice", Fixtures.T0)));

        // when
        Result good = run(scratch, env, "terraform", "plan", "-input=false", "-no-color", "-var-file=good.tfvars.json");
        Result refused = run(scratch, env, "terraform", "plan", "-input=false", "-no-color", "-var-file=bad.tfvars.json");

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
    void instanceTypeAllowListIsThePlatforms() throws IOException {
        // given
        String variables = Files.readString(AWS_MODULE.resolve("variables.tf"));

        // when
        Matcher list = Pattern.compile("condition = contains\\(\\[([^]]*)]\\s*,\\s*var\\.instance_type\\)")
                .matcher(variables.replaceAll("\\s+", " "));

        // then
        assertThat(list.find()).as("the instance_type validation lists the allowed types").isTrue();
        List<String> allowed = Arrays.stream(list.group(1).split(","))
                .map(s -> s.strip().replace("\"", "")).filter(s -> !s.isEmpty()).toList();
        assertThat(allowed).containsExactlyElementsOf(InstanceType.ALLOWED.stream().map(InstanceType::name).toList());
    }

    @Test
    void changedStacksListsTheStacksACommitAddedOrChangedAndSkipsRemovedOnes() throws Exception {
        // given: the infrastructure repository's history
        Path repo = tmp.resolve("infra");
        String root;
        String addsTwo;
        String revertsOneChangesOther;
        String docsOnly;
        try (Git git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call()) {
            write(repo, "terraform/aws/main.tf", "# module\n");
            write(repo, "stacks/" + ID_A + "/terraform.tfvars.json", "{}\n");
            root = commit(git, "Provision A");
            write(repo, "stacks/" + ID_B + "/terraform.tfvars.json", "{}\n");
            write(repo, "stacks/" + ID_C + "/terraform.tfvars.json", "{}\n");
            write(repo, "stacks/notes/terraform.tfvars.json", "{}\n");
            addsTwo = commit(git, "Provision B and C");
            git.rm().addFilepattern("stacks/" + ID_A).call();
            write(repo, "stacks/" + ID_B + "/terraform.tfvars.json", "{\"name\": \"b\"}\n");
            revertsOneChangesOther = commit(git, "Revert A, change B");
            write(repo, "README.md", "infra\n");
            docsOnly = commit(git, "Docs");
        }
        Path script = AWS_MODULE.resolve("changed-stacks.sh");

        // when
        Result first = run(repo, Map.of(), "bash", script.toString(), root);
        Result second = run(repo, Map.of(), "bash", script.toString(), addsTwo);
        Result third = run(repo, Map.of(), "bash", script.toString(), revertsOneChangesOther);
        Result fourth = run(repo, Map.of(), "bash", script.toString(), docsOnly);
        Result unknown = run(repo, Map.of(), "bash", script.toString(), "f".repeat(40));

        // then
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).isEqualTo(ID_A + "\n");
        assertThat(second.output()).isEqualTo(ID_B + "\n" + ID_C + "\n");
        assertThat(third.output()).isEqualTo(ID_B + "\n");
        assertThat(fourth.exit()).isZero();
        assertThat(fourth.output()).isEmpty();
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
        Result result = run(shallow, Map.of(), "bash", AWS_MODULE.resolve("changed-stacks.sh").toString(), head);

        // then
        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.output()).contains("is not in this clone", "git clone depth to 2 or more");
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
