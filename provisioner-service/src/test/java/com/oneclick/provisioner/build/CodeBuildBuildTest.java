package com.oneclick.provisioner.build;

import com.oneclick.testsupport.MutableClock;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.oneclick.model.RequestIds;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CodeBuildBuild against CodeBuild and S3 as they speak on the wire, replayed by WireMock on loopback:
 * CodeBuild's AWS JSON 1.1 ({@code POST /} with {@code X-Amz-Target}), S3's REST-XML ({@code GET
 * /<bucket>/<key>}, path-style), every request signed with SigV4 by the real SDK clients.
 */
class CodeBuildBuildTest {

    private static final Product EC2 = ProductCatalog.standard().get("ec2-instance");
    private static final Product AURORA = ProductCatalog.standard().get("aurora-mysql");
    private static final String PROJECT = "oneclick-stacks";
    private static final String BUCKET = "oneclick-artifacts";
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final String LOG = "https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1"
            + "#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252Foneclick-stacks";

    private WireMockServer aws;
    private final MutableClock clock = new MutableClock(NOW);
    private final String requestId = RequestIds.newId();
    private final String commit = "0123456789abcdef0123456789abcdef01234567";
    private final String buildId = PROJECT + ":7c1e5f0a-1111-4222-8333-944455556666";

    @BeforeEach
    void startAws() {
        aws = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        aws.start();
    }

    @AfterEach
    void stopAws() {
        aws.stop();
    }

    @Test
    void findsTheBuildOfThePushedCommitFollowsItAndReadsTheOutputsFromS3() {
        // given: the project's newest builds, ours among others; ours running, then succeeded
        CodeBuildBuild builds = codeBuild(false, Duration.ZERO);
        String older = PROJECT + ":00000000-0000-4000-8000-000000000001";
        codebuild("ListBuildsForProject", "{\"projectName\":\"" + PROJECT + "\",\"sortOrder\":\"DESCENDING\"}",
                ok("{\"ids\":[\"" + buildId + "\",\"" + older + "\"]}"));
        codebuild("BatchGetBuilds", "{\"ids\":[\"" + buildId + "\",\"" + older + "\"]}",
                ok("{\"builds\":[" + build(buildId, commit, "IN_PROGRESS", "BUILD", null) + ","
                        + build(older, "f".repeat(40), "SUCCEEDED", "COMPLETED", null) + "],\"buildsNotFound\":[]}"));
        aws.stubFor(polled("{\"ids\":[\"" + buildId + "\"]}").inScenario("build").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok("{\"builds\":[" + build(buildId, commit, "IN_PROGRESS", "BUILD", null) + "]}"))
                .willSetStateTo("done"));
        aws.stubFor(polled("{\"ids\":[\"" + buildId + "\"]}").inScenario("build").whenScenarioStateIs("done")
                .willReturn(ok("{\"builds\":[" + build(buildId, commit, "SUCCEEDED", "COMPLETED", null) + "]}")));
        s3Object(requestId + ".json", 200, terraformOutputs());

        // when
        Optional<String> found = builds.start(requestId, commit, EC2);
        BuildStatus first = builds.status(requestId, commit, found.orElseThrow(), EC2);
        BuildStatus second = builds.status(requestId, commit, found.orElseThrow(), EC2);

        // then
        assertThat(found).contains(buildId);
        assertThat(first).isEqualTo(BuildStatus.RUNNING);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("instance_id", "i-0123456789abcdef0");
        outputs.put("instance_name", "web-1");
        outputs.put("private_ip", "10.1.2.3");
        outputs.put("availability_zone", "eu-west-1b");
        assertThat(second).isEqualTo(new BuildStatus.Succeeded(new InstanceOutputs(outputs)));
        assertThat(builds.mode()).isEqualTo("codebuild");
        assertThat(builds.simulated()).isFalse();
        aws.verify(postRequestedFor(urlEqualTo("/"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDTEST/\\d{8}/eu-west-1/codebuild/.*")));
        aws.verify(getRequestedFor(urlPathEqualTo(s3Path(requestId + ".json")))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDTEST/\\d{8}/eu-west-1/s3/.*")));
    }

    @Test
    void theOutputsArtifactOfAnAuroraStackIsReadAsTheCatalogsOutputsAsText() {
        // given: a build that applied an aurora-mysql stack; its artifact as terraform/aws/aurora-mysql outputs it
        CodeBuildBuild builds = codeBuild(false, Duration.ZERO);
        aws.stubFor(polled("{\"ids\":[\"" + buildId + "\"]}")
                .willReturn(ok("{\"builds\":[" + build(buildId, commit, "SUCCEEDED", "COMPLETED", null) + "]}")));
        s3Object(requestId + ".json", 200, auroraOutputs(requestId));

        // when
        BuildStatus result = builds.status(requestId, commit, buildId, AURORA);

        // then: every output the catalog lists, in its order, the port as its number's text; nothing else
        assertThat(result).isInstanceOf(BuildStatus.Succeeded.class);
        InstanceOutputs outputs = ((BuildStatus.Succeeded) result).outputs();
        assertThat(outputs.values()).containsExactly(
                Map.entry("cluster_identifier", "oneclick-" + requestId),
                Map.entry("cluster_name", "orders-db"),
                Map.entry("endpoint", "oneclick-" + requestId + ".cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com"),
                Map.entry("reader_endpoint", "oneclick-" + requestId
                        + ".cluster-ro-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com"),
                Map.entry("port", "3306"),
                Map.entry("master_user_secret_arn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:"
                        + "rds!cluster-5c2b8e9a-1f3d-4e6a-9b7c-0d1e2f3a4b5c-Ab1Cd2"),
                Map.entry("availability_zones", "eu-west-1a, eu-west-1b"));
        assertThat(outputs.id(AURORA)).isEqualTo("oneclick-" + requestId);
        assertThat(outputs.name(AURORA)).isEqualTo("orders-db");
        assertThat(outputs.privateIp()).isNull();
        assertThat(outputs.availabilityZone()).isNull();
    }

    @Test
    void anOutputsArtifactThatBreaksTheProductsContractFailsTheBuild() {
        // given: an aurora-mysql stack's artifact without the secret's ARN, and an EC2 one read as aurora
        CodeBuildBuild builds = codeBuild(false, Duration.ZERO);
        aws.stubFor(polled("{\"ids\":[\"" + buildId + "\"]}")
                .willReturn(ok("{\"builds\":[" + build(buildId, commit, "SUCCEEDED", "COMPLETED", null) + "]}")));
        String other = RequestIds.newId();
        s3Object(requestId + ".json", 200, auroraOutputs(requestId).replaceFirst(
                "\"master_user_secret_arn\":\\{[^}]*},", ""));
        s3Object(other + ".json", 200, auroraOutputs(other).replace("\"sensitive\":false,\"type\":\"number\"",
                "\"sensitive\":true,\"type\":\"number\""));

        // when
        BuildStatus missing = builds.status(requestId, commit, buildId, AURORA);
        BuildStatus sensitive = builds.status(other, commit, buildId, AURORA);

        // then
        assertThat(missing).isInstanceOfSatisfying(BuildStatus.Failed.class, failed -> {
            assertThat(failed.phase()).isEqualTo("outputs");
            assertThat(failed.reason()).contains("does not fit the module contract",
                    "terraform output has no 'master_user_secret_arn'", "(log: " + LOG);
        });
        assertThat(sensitive).isInstanceOfSatisfying(BuildStatus.Failed.class, failed ->
                assertThat(failed.reason()).contains("terraform output 'port' is sensitive"));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', value = {
        "FAILED    | BUILD            | FAILED    | COMMAND_EXECUTION_ERROR: Error while executing command: bash terraform/aws/apply-stacks.sh changed-stacks.txt. Reason: exit status 1",
        "FAULT     | PROVISIONING     | FAULT     | Internal service error",
        "TIMED_OUT | BUILD            | TIMED_OUT | Build has timed out.",
        "STOPPED   | BUILD            | STOPPED   | Build was stopped by a user",
    })
    void buildThatEndedBadlyFailsInItsFirstUnsuccessfulPhaseWithTheMessagesAndTheLogLink(
            String status, String phase, String phaseStatus, String message) {
        // given: the build ended without outputs for our stack
        CodeBuildBuild builds = codeBuild(false, Duration.ZERO);
        String phases = "[{\"phaseType\":\"SUBMITTED\",\"phaseStatus\":\"SUCCEEDED\"},"
                + "{\"phaseType\":\"" + phase + "\",\"phaseStatus\":\"" + phaseStatus + "\",\"contexts\":["
                + "{\"statusCode\":\"X\",\"message\":\"" + message + "\"}]},"
                + "{\"phaseType\":\"COMPLETED\"}]";
        aws.stubFor(polled("{\"ids\":[\"" + buildId + "\"]}")
                .willReturn(ok("{\"builds\":[" + build(buildId, commit, status, "COMPLETED", phases) + "]}")));
        s3Object(requestId + ".json", 404, noSuchKey());
        s3Object(requestId + ".failed", 404, noSuchKey());

        // when
        BuildStatus result = builds.status(requestId, commit, buildId, EC2);

        // then
        assertThat(result).isInstanceOf(BuildStatus.Failed.class);
        BuildStatus.Failed failed = (BuildStatus.Failed) result;
        assertThat(failed.phase()).isEqualTo(phase);
        assertThat(failed.reason()).isEqualTo("CodeBuild build " + buildId + " " + status + " in " + phase + ": "
                + message + " (log: " + LOG + ")");
    }

    @Test
    void failedStackCarriesTerraformsErrorFromTheArtifactAndAStackThatAppliedInTheSameBuildSucceeds() {
        // given: one commit, two stacks; ours failed, the other one applied
        CodeBuildBuild builds = codeBuild(false, Duration.ZERO);
        String other = RequestIds.newId();
        String phases = "[{\"phaseType\":\"BUILD\",\"phaseStatus\":\"FAILED\",\"contexts\":[{\"statusCode\":"
                + "\"COMMAND_EXECUTION_ERROR\",\"message\":\"Reason: exit status 1\"}]}]";
        aws.stubFor(polled("{\"ids\":[\"" + buildId + "\"]}")
                .willReturn(ok("{\"builds\":[" + build(buildId, commit, "FAILED", "COMPLETED", phases) + "]}")));
        s3Object(requestId + ".json", 404, noSuchKey());
        s3Object(requestId + ".failed", 200, "Initializing...\nError: creating EC2 Instance: InvalidAMIID.NotFound\n");
        s3Object(other + ".json", 200, terraformOutputs());

        // when
        BuildStatus ours = builds.status(requestId, commit, buildId, EC2);
        BuildStatus theirs = builds.status(other, commit, buildId, EC2);

        // then
        assertThat(ours).isInstanceOf(BuildStatus.Failed.class);
        assertThat(((BuildStatus.Failed) ours).reason())
                .contains("FAILED in BUILD: Reason: exit status 1\nError: creating EC2 Instance: InvalidAMIID.NotFound")
                .endsWith("(log: " + LOG + ")");
        assertThat(theirs).isInstanceOf(BuildStatus.Succeeded.class);
    }

    @Test
    void throttlingIsRetriedByTheSdkAndTheBuildStillSucceeds() {
        // given: CodeBuild throttles the first call
        CodeBuildBuild builds = codeBuild(false, Duration.ZERO);
        aws.stubFor(polled("{\"ids\":[\"" + buildId + "\"]}").inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON_11)
                        .withHeader("x-amzn-RequestId", "throttled-1")
                        .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"))
                .willSetStateTo("calm"));
        aws.stubFor(polled("{\"ids\":[\"" + buildId + "\"]}").inScenario("throttle").whenScenarioStateIs("calm")
                .willReturn(ok("{\"builds\":[" + build(buildId, commit, "SUCCEEDED", "COMPLETED", null) + "]}")));
        s3Object(requestId + ".json", 200, terraformOutputs());

        // when
        BuildStatus result = builds.status(requestId, commit, buildId, EC2);

        // then
        assertThat(result).isInstanceOf(BuildStatus.Succeeded.class);
        aws.verify(2, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("CodeBuild_20161006.BatchGetBuilds")));
    }

    @Test
    void buildThatNeverAppearsKeepsStartEmpty() {
        // given: the project only has builds of other commits, and one whose source is not resolved yet
        CodeBuildBuild builds = codeBuild(false, Duration.ZERO);
        String other = PROJECT + ":00000000-0000-4000-8000-000000000002";
        String queued = PROJECT + ":00000000-0000-4000-8000-000000000003";
        codebuild("ListBuildsForProject", null, ok("{\"ids\":[\"" + queued + "\",\"" + other + "\"]}"));
        codebuild("BatchGetBuilds", null, ok("{\"builds\":["
                + build(queued, null, "IN_PROGRESS", "QUEUED", null) + ","
                + build(other, "e".repeat(40), "SUCCEEDED", "COMPLETED", null) + "]}"));

        // when
        List<Optional<String>> answers = IntStream.range(0, 3).mapToObj(i -> builds.start(requestId, commit, EC2)).toList();

        // then: asked every time (the queued build may still turn out to be ours), never found
        assertThat(answers).containsOnly(Optional.empty());
        aws.verify(3, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("CodeBuild_20161006.ListBuildsForProject")));
        aws.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target",
                equalTo("CodeBuild_20161006.BatchGetBuilds")).withRequestBody(equalToJson("{\"ids\":[\"" + queued + "\"]}")));
    }

    @Test
    void buildsOlderThanTheLookbackAreNotTheBuildOfANewPush() {
        // given: a build of the same commit, but from two hours ago
        CodeBuildBuild builds = codeBuild(false, Duration.ZERO);
        codebuild("ListBuildsForProject", null, ok("{\"ids\":[\"" + buildId + "\"]}"));
        codebuild("BatchGetBuilds", null, ok("{\"builds\":["
                + build(buildId, commit, "SUCCEEDED", "COMPLETED", null, NOW.minus(Duration.ofHours(2))) + "]}"));

        // when
        Optional<String> found = builds.start(requestId, commit, EC2);

        // then
        assertThat(found).isEmpty();
    }

    @Test
    void startBuildModeStartsTheCommitOnceAndReusesABuildThatExists() {
        // given
        CodeBuildBuild builds = codeBuild(true, Duration.ZERO);
        String existingCommit = "abcdef0123456789abcdef0123456789abcdef01";
        String existing = PROJECT + ":00000000-0000-4000-8000-000000000004";
        codebuild("ListBuildsForProject", null, ok("{\"ids\":[\"" + existing + "\"]}"));
        codebuild("BatchGetBuilds", null, ok("{\"builds\":["
                + build(existing, existingCommit, "IN_PROGRESS", "BUILD", null) + "]}"));
        codebuild("StartBuild", "{\"projectName\":\"" + PROJECT + "\",\"sourceVersion\":\"" + commit + "\"}",
                ok("{\"build\":" + build(buildId, null, "IN_PROGRESS", "QUEUED", null).replace(
                        "\"sourceVersion\":null", "\"sourceVersion\":\"" + commit + "\"") + "}"));

        // when
        Optional<String> started = builds.start(requestId, commit, EC2);
        Optional<String> again = builds.start(RequestIds.newId(), commit, EC2);
        Optional<String> reused = builds.start(requestId, existingCommit, EC2);

        // then
        assertThat(started).contains(buildId);
        assertThat(again).contains(buildId);
        assertThat(reused).contains(existing);
        aws.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("CodeBuild_20161006.StartBuild")));
    }

    @Test
    void awsIsAskedAtMostOncePerPollIntervalAndAnErrorIsRepeatedUntilTheNextCall() {
        // given: CodeBuild refuses the first call (not retryable), then answers
        CodeBuildBuild builds = codeBuild(false, Duration.ofSeconds(15));
        aws.stubFor(polled("{\"ids\":[\"" + buildId + "\"]}").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON_11)
                        .withBody("{\"__type\":\"InvalidInputException\",\"message\":\"bad\"}"))
                .willSetStateTo("fine"));
        aws.stubFor(polled("{\"ids\":[\"" + buildId + "\"]}").inScenario("flaky").whenScenarioStateIs("fine")
                .willReturn(ok("{\"builds\":[" + build(buildId, commit, "IN_PROGRESS", "BUILD", null) + "]}")));

        // when / then
        assertThatThrownBy(() -> builds.status(requestId, commit, buildId, EC2)).hasMessageContaining("bad");
        assertThatThrownBy(() -> builds.status(requestId, commit, buildId, EC2)).hasMessageContaining("bad");
        clock.advance(Duration.ofSeconds(15));
        assertThat(builds.status(requestId, commit, buildId, EC2)).isEqualTo(BuildStatus.RUNNING);
        assertThat(builds.status(requestId, commit, buildId, EC2)).isEqualTo(BuildStatus.RUNNING);
        clock.advance(Duration.ofSeconds(14));
        assertThat(builds.status(requestId, commit, buildId, EC2)).isEqualTo(BuildStatus.RUNNING);
        aws.verify(2, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void artifactLocationOverrideAndAMissingProjectAreConfiguration() {
        // given
        CodeBuildBuild.Settings override = new CodeBuildBuild.Settings(PROJECT, false, Duration.ZERO, Duration.ofHours(1),
                "other-bucket", "/stacks-out/");
        CodeBuildBuild builds = new CodeBuildBuild(null, null, override, clock);
        software.amazon.awssdk.services.codebuild.model.Build build =
                software.amazon.awssdk.services.codebuild.model.Build.builder().id(buildId).build();

        // when
        CodeBuildBuild.Location location = builds.location(build).orElseThrow();

        // then
        assertThat(location.describe(requestId, ".json")).isEqualTo("s3://other-bucket/stacks-out/outputs/" + requestId + ".json");
        assertThatThrownBy(() -> new CodeBuildBuild.Settings(" ", false, Duration.ZERO, Duration.ZERO, null, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ONECLICK_CODEBUILD_PROJECT");
    }

    // ---- the wire ----------------------------------------------------------------------------------

    private CodeBuildBuild codeBuild(boolean startBuild, Duration pollInterval) {
        CodeBuildBuild.Settings settings = new CodeBuildBuild.Settings(PROJECT, startBuild, pollInterval,
                Duration.ofHours(1), null, null);
        return CodeBuildBuild.create(settings, "eu-west-1", aws.baseUrl(), aws.baseUrl(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")), clock);
    }

    private MappingBuilder target(String operation) {
        return post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("CodeBuild_20161006." + operation))
                .withHeader("Content-Type", containing(JSON_11));
    }

    private MappingBuilder polled(String body) {
        return target("BatchGetBuilds").withRequestBody(equalToJson(body));
    }

    private void codebuild(String operation, String body, ResponseDefinitionBuilder response) {
        MappingBuilder mapping = target(operation);
        if (body != null) {
            mapping = mapping.withRequestBody(equalToJson(body, true, true));
        }
        aws.stubFor(mapping.willReturn(response));
    }

    private static ResponseDefinitionBuilder ok(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", JSON_11)
                .withHeader("x-amzn-RequestId", "req-1").withBody(json);
    }

    private String build(String id, String resolvedCommit, String status, String currentPhase, String phases) {
        return build(id, resolvedCommit, status, currentPhase, phases, NOW.minus(Duration.ofMinutes(2)));
    }

    private String build(String id, String resolvedCommit, String status, String currentPhase, String phases,
                         Instant started) {
        String uuid = id.substring(id.indexOf(':') + 1);
        return "{\"id\":\"" + id + "\",\"arn\":\"arn:aws:codebuild:eu-west-1:123456789012:build/" + id + "\","
                + "\"buildNumber\":7,\"startTime\":" + started.getEpochSecond() + ".123,"
                + "\"currentPhase\":\"" + currentPhase + "\",\"buildStatus\":\"" + status + "\","
                + "\"sourceVersion\":null,"
                + "\"resolvedSourceVersion\":" + (resolvedCommit == null ? "null" : "\"" + resolvedCommit + "\"") + ","
                + "\"projectName\":\"" + PROJECT + "\","
                + "\"phases\":" + (phases == null ? "[{\"phaseType\":\"SUBMITTED\",\"phaseStatus\":\"SUCCEEDED\"}]" : phases) + ","
                + "\"source\":{\"type\":\"BITBUCKET\",\"location\":\"https://bitbucket.org/acme/infra.git\",\"gitCloneDepth\":2},"
                + "\"artifacts\":{\"location\":\"arn:aws:s3:::" + BUCKET + "/" + PROJECT + "/" + uuid + "/oneclick\"},"
                + "\"logs\":{\"groupName\":\"/aws/codebuild/" + PROJECT + "\",\"streamName\":\"" + uuid + "\","
                + "\"deepLink\":\"" + LOG + "\"},"
                + "\"buildComplete\":" + !"IN_PROGRESS".equals(status) + ","
                + "\"initiator\":\"codebuild-webhook\"}";
    }

    private String s3Path(String file) {
        return "/" + BUCKET + "/" + PROJECT + "/" + buildId.substring(buildId.indexOf(':') + 1) + "/oneclick/outputs/"
                + file;
    }

    private void s3Object(String file, int status, String body) {
        aws.stubFor(get(urlPathEqualTo(s3Path(file))).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", status == 200 ? "application/json" : "application/xml")
                .withHeader("x-amz-request-id", "s3req").withBody(body)));
    }

    private static String noSuchKey() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                + "<Message>The specified key does not exist.</Message><RequestId>s3req</RequestId></Error>";
    }

    /** {@code terraform output -json} of terraform/aws/aurora-mysql: sorted by name, the port a number. */
    private static String auroraOutputs(String id) {
        return "{\"availability_zones\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"eu-west-1a, eu-west-1b\"},"
                + "\"cluster_identifier\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"oneclick-" + id + "\"},"
                + "\"cluster_name\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"orders-db\"},"
                + "\"endpoint\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"oneclick-" + id
                + ".cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com\"},"
                + "\"master_user_secret_arn\":{\"sensitive\":false,\"type\":\"string\",\"value\":"
                + "\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-5c2b8e9a-1f3d-4e6a-9b7c-0d1e2f3a4b5c-Ab1Cd2\"},"
                + "\"port\":{\"sensitive\":false,\"type\":\"number\",\"value\":3306},"
                + "\"reader_endpoint\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"oneclick-" + id
                + ".cluster-ro-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com\"},"
                + "\"simulated\":{\"sensitive\":false,\"type\":\"bool\",\"value\":false}}";
    }

    private static String terraformOutputs() {
        return "{\"availability_zone\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"eu-west-1b\"},"
                + "\"instance_id\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"i-0123456789abcdef0\"},"
                + "\"instance_name\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"web-1\"},"
                + "\"private_ip\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"10.1.2.3\"},"
                + "\"simulated\":{\"sensitive\":false,\"type\":\"bool\",\"value\":false}}";
    }

}
