package com.oneclick.provisioner.build;

import com.oneclick.model.RequestIds;
import com.oneclick.model.catalog.Product;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.CodeBuildClientBuilder;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.BuildPhase;
import software.amazon.awssdk.services.codebuild.model.ListBuildsForProjectResponse;
import software.amazon.awssdk.services.codebuild.model.PhaseContext;
import software.amazon.awssdk.services.codebuild.model.SortOrderType;
import software.amazon.awssdk.services.codebuild.model.StatusType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The CodeBuild build: the push starts a build through the repository's webhook (or {@link #start} starts
 * one with StartBuild when so configured), and this adapter finds it, follows it and reads the outputs
 * the buildspec exported ({@code terraform/aws/buildspec.yml}).
 *
 * <p>Finding: the project's newest builds (ListBuildsForProject, newest first, then BatchGetBuilds), the
 * one whose resolved source version is the pushed commit; builds that started more than {@code lookback}
 * ago are not considered. Following: BatchGetBuilds; {@code IN_PROGRESS} is {@link BuildStatus.Running}.
 * Outputs: {@code <artifact location>/outputs/<requestId>.json} in S3 ({@code terraform output -json} of the
 * stack's module, which the buildspec takes from the stack's {@code stack.json}), read as the product's outputs.
 * A build that ended otherwise ({@code FAILED}, {@code FAULT}, {@code TIMED_OUT}, {@code STOPPED}) is a
 * {@link BuildStatus.Failed} in its first phase that did not succeed, with the phase's messages,
 * Terraform's error when the buildspec exported one ({@code outputs/<requestId>.failed}) and the link to
 * the build's log; unless this request's stack applied in it (another stack of the same commit failed),
 * which is a success.
 *
 * <p>The provisioning driver asks every ~100 ms; this adapter asks AWS about the project, a build or an
 * outputs object at most once per {@code pollInterval} and answers from what it learnt meanwhile (an
 * error included: it is thrown again until the next call is due). Finished builds are not asked again.
 * Throttling and 5xx answers are retried by the SDK's standard retry strategy.
 */
public final class CodeBuildBuild implements BuildSystem, AutoCloseable {

    public static final String MODE = "codebuild";
    static final String OUTPUTS_DIR = "outputs";
    private static final Pattern COMMIT = Pattern.compile("^[0-9a-f]{40}$");
    private static final int MAX_PAGES = 5;
    private static final int CACHE_MAX = 2000;
    private static final Logger log = LoggerFactory.getLogger(CodeBuildBuild.class);

    /**
     * @param project        the CodeBuild project
     * @param startBuild     start the build of a commit with StartBuild when none is found (else wait for the webhook's)
     * @param pollInterval   at most one call per build (and one look at the project) in this time
     * @param lookback       builds that started longer ago than this are not the build of a new push
     * @param artifactBucket where the outputs are, instead of the build's artifact location; blank for the latter
     * @param artifactPrefix the key prefix in {@code artifactBucket} (the outputs are under {@code <prefix>/outputs/})
     */
    public record Settings(String project, boolean startBuild, Duration pollInterval, Duration lookback,
                           String artifactBucket, String artifactPrefix) {

        public Settings {
            if (project == null || project.isBlank()) {
                throw new IllegalStateException("oneclick.build.codebuild.project (ONECLICK_CODEBUILD_PROJECT) is not "
                        + "set: name the CodeBuild project that applies the stacks");
            }
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(lookback, "lookback");
            artifactBucket = artifactBucket == null || artifactBucket.isBlank() ? null : artifactBucket.strip();
            artifactPrefix = artifactPrefix == null ? "" : strip(artifactPrefix.strip());
        }
    }

    private final CodeBuildClient codeBuild;
    private final S3Client s3;
    private final Settings settings;
    private final Clock clock;

    /** Build ID → what we know about the build. */
    private final Map<String, Polled<Build>> builds = lru();
    /** Commit → the build of it (found or started). */
    private final Map<String, String> buildOfCommit = lru();
    /** Build ID → its commit, for builds already looked at while searching. */
    private final Map<String, String> commitOfBuild = lru();
    /** "buildId requestId" → the outputs object, once read or found missing. */
    private final Map<String, Polled<Optional<String>>> outputs = lru();
    /** Commit → the last StartBuild that failed, so it is not repeated before the poll interval. */
    private final Map<String, Polled<Build>> startAttempts = lru();
    private Polled<Boolean> projectLook = null;

    public CodeBuildBuild(CodeBuildClient codeBuild, S3Client s3, Settings settings, Clock clock) {
        this.codeBuild = codeBuild;
        this.s3 = s3;
        this.settings = settings;
        this.clock = clock;
        log.info("CodeBuild build: project {}{}, polling every {} s", settings.project(),
                settings.startBuild() ? " (StartBuild when the push started none)" : " (builds started by the webhook)",
                settings.pollInterval().toSeconds());
    }

    /**
     * Clients for {@link #CodeBuildBuild}: credentials from {@code credentials} (the SDK's default chain in
     * the service), region from {@code region} or, when blank, the SDK's region chain ({@code AWS_REGION}…),
     * and endpoints overridden when given (tests, emulators). S3 then uses path-style addresses.
     */
    public static CodeBuildBuild create(Settings settings, String region, String endpoint, String s3Endpoint,
                                        AwsCredentialsProvider credentials, Clock clock) {
        CodeBuildClientBuilder codeBuild = CodeBuildClient.builder().credentialsProvider(credentials);
        S3ClientBuilder s3 = S3Client.builder().credentialsProvider(credentials);
        if (region != null && !region.isBlank()) {
            codeBuild.region(Region.of(region.strip()));
            s3.region(Region.of(region.strip()));
        }
        if (endpoint != null && !endpoint.isBlank()) {
            codeBuild.endpointOverride(URI.create(endpoint.strip()));
        }
        if (s3Endpoint != null && !s3Endpoint.isBlank()) {
            s3.endpointOverride(URI.create(s3Endpoint.strip())).forcePathStyle(true);
        }
        return new CodeBuildBuild(codeBuild.build(), s3.build(), settings, clock);
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public boolean simulated() {
        return false;
    }

    @Override
    public synchronized Optional<String> start(String requestId, String commitId, Product product) {
        checkIds(requestId, commitId);
        String known = buildOfCommit.get(commitId);
        if (known != null) {
            return Optional.of(known);
        }
        if (due(projectLook)) {
            projectLook = Polled.of(now(), this::lookAtProject);
        }
        projectLook.get();
        known = buildOfCommit.get(commitId);
        if (known != null) {
            return Optional.of(known);
        }
        if (!settings.startBuild()) {
            return Optional.empty();
        }
        Polled<Build> attempt = startAttempts.get(commitId);
        if (due(attempt)) {
            attempt = Polled.of(now(), () -> codeBuild.startBuild(b -> b.projectName(settings.project())
                    .sourceVersion(commitId)).build());
            startAttempts.put(commitId, attempt);
        }
        Build started = attempt.get();
        log.info("Started CodeBuild build {} of commit {} for request {}", started.id(), commitId, requestId);
        remember(started, commitId);
        startAttempts.remove(commitId);
        return Optional.of(started.id());
    }

    @Override
    public synchronized BuildStatus status(String requestId, String commitId, String buildId, Product product) {
        checkIds(requestId, commitId);
        if (buildId == null || buildId.isBlank()) {
            throw new IllegalArgumentException("no build ID");
        }
        Polled<Build> polled = builds.get(buildId);
        if (polled == null || (!finished(polled.peek()) && due(polled))) {
            polled = Polled.of(now(), () -> fetch(buildId));
            builds.put(buildId, polled);
        }
        Build build = polled.get();
        StatusType state = build.buildStatus();
        if (state == StatusType.IN_PROGRESS) {
            return BuildStatus.RUNNING;
        }
        if (state == null || state == StatusType.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalStateException("CodeBuild build " + buildId + " has status '" + build.buildStatusAsString()
                    + "', which this version does not know");
        }
        Optional<Location> location = location(build);
        if (location.isEmpty()) {
            return state == StatusType.SUCCEEDED
                    ? new BuildStatus.Failed("outputs", "CodeBuild build " + buildId + " succeeded but has no S3 "
                    + "artifact location to read outputs/" + requestId + ".json from" + logLink(build))
                    : failed(build, null);
        }
        Optional<String> outputsJson = object(buildId, requestId, location.get(), ".json", state != StatusType.SUCCEEDED);
        if (outputsJson.isPresent()) {
            try {
                return new BuildStatus.Succeeded(TerraformOutputs.read(outputsJson.get(), product));
            } catch (IOException e) {
                return new BuildStatus.Failed("outputs", location.get().describe(requestId, ".json")
                        + " does not fit the module contract: " + e.getMessage() + logLink(build));
            }
        }
        if (state == StatusType.SUCCEEDED) {
            return new BuildStatus.Failed("outputs", "CodeBuild build " + buildId + " succeeded but its artifact holds no "
                    + location.get().describe(requestId, ".json") + " (was the stack in the commit the build ran?)"
                    + logLink(build));
        }
        Optional<String> terraformError = object(buildId, requestId, location.get(), ".failed", true);
        return failed(build, terraformError.orElse(null));
    }

    @Override
    public void close() {
        codeBuild.close();
        s3.close();
    }

    // ---- finding the build of a commit -------------------------------------------------------------

    /** Looks at the project's newest builds and remembers the commit of each; pages until it meets old or known builds. */
    private Boolean lookAtProject() {
        Instant bound = now().minus(settings.lookback());
        String nextToken = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String token = nextToken;
            ListBuildsForProjectResponse list = codeBuild.listBuildsForProject(b -> b.projectName(settings.project())
                    .sortOrder(SortOrderType.DESCENDING).nextToken(token));
            List<String> unknown = list.ids().stream().filter(id -> !commitOfBuild.containsKey(id)).toList();
            boolean reachedOld = unknown.size() < list.ids().size();
            if (!unknown.isEmpty()) {
                for (Build build : codeBuild.batchGetBuilds(b -> b.ids(unknown)).builds()) {
                    if (build.startTime() != null && build.startTime().isBefore(bound)) {
                        reachedOld = true;
                        commitOfBuild.put(build.id(), "");
                        continue;
                    }
                    String commit = commitOf(build);
                    if (commit != null) {
                        remember(build, commit);
                    }
                }
            }
            nextToken = list.nextToken();
            if (reachedOld || nextToken == null || nextToken.isEmpty()) {
                break;
            }
        }
        return Boolean.TRUE;
    }

    /** The commit a build runs: its resolved source version (known once the source is downloaded). */
    private static String commitOf(Build build) {
        if (build.resolvedSourceVersion() != null && COMMIT.matcher(build.resolvedSourceVersion()).matches()) {
            return build.resolvedSourceVersion();
        }
        if (build.sourceVersion() != null && COMMIT.matcher(build.sourceVersion()).matches()) {
            return build.sourceVersion();
        }
        return null;
    }

    private void remember(Build build, String commit) {
        commitOfBuild.put(build.id(), commit);
        // the newest build of a commit is seen first; an older one does not replace it
        buildOfCommit.putIfAbsent(commit, build.id());
        builds.put(build.id(), Polled.known(now(), build));
    }

    private Build fetch(String buildId) {
        var response = codeBuild.batchGetBuilds(b -> b.ids(buildId));
        return response.builds().stream().filter(b -> buildId.equals(b.id())).findFirst()
                .orElseThrow(() -> new IllegalStateException("CodeBuild does not know build " + buildId
                        + " (project " + settings.project() + ")"));
    }

    private static boolean finished(Build build) {
        return build != null && build.buildStatus() != null && build.buildStatus() != StatusType.IN_PROGRESS
                && build.buildStatus() != StatusType.UNKNOWN_TO_SDK_VERSION;
    }

    // ---- outputs ------------------------------------------------------------------------------------

    /** Where a build's outputs are: {@code s3://bucket/prefix/outputs/<requestId>.json}. */
    record Location(String bucket, String prefix) {

        String key(String requestId, String suffix) {
            return (prefix.isEmpty() ? "" : prefix + "/") + OUTPUTS_DIR + "/" + requestId + suffix;
        }

        String describe(String requestId, String suffix) {
            return "s3://" + bucket + "/" + key(requestId, suffix);
        }
    }

    /**
     * The configured bucket and prefix, else the build's artifact location: {@code arn:aws:s3:::bucket/path}
     * (or {@code s3://bucket/path}). Empty when the build has none (it failed before uploading).
     */
    Optional<Location> location(Build build) {
        if (settings.artifactBucket() != null) {
            return Optional.of(new Location(settings.artifactBucket(), settings.artifactPrefix()));
        }
        String location = build.artifacts() == null ? null : build.artifacts().location();
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        String path;
        if (location.startsWith("arn:") && location.contains(":::")) {
            path = location.substring(location.indexOf(":::") + 3);
        } else if (location.startsWith("s3://")) {
            path = location.substring(5);
        } else {
            throw new IllegalStateException("CodeBuild build " + build.id() + " has an artifact location that is not "
                    + "in S3: " + location);
        }
        if (path.endsWith(".zip")) {
            throw new IllegalStateException("CodeBuild build " + build.id() + " packaged its artifact as a ZIP ("
                    + location + "); set the project's artifact packaging to NONE so outputs/<id>.json can be read");
        }
        int slash = path.indexOf('/');
        return Optional.of(slash < 0 ? new Location(path, "") : new Location(path.substring(0, slash),
                strip(path.substring(slash + 1))));
    }

    /** One outputs object, at most once per poll interval; empty when it does not exist. */
    private Optional<String> object(String buildId, String requestId, Location location, String suffix,
                                    boolean forbiddenMeansMissing) {
        String cacheKey = buildId + " " + requestId + suffix;
        Polled<Optional<String>> polled = outputs.get(cacheKey);
        if (due(polled)) {
            polled = Polled.of(now(), () -> read(location, requestId, suffix, forbiddenMeansMissing));
            outputs.put(cacheKey, polled);
        }
        return polled.get();
    }

    private Optional<String> read(Location location, String requestId, String suffix, boolean forbiddenMeansMissing) {
        String key = location.key(requestId, suffix);
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(key)).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || (e.statusCode() == 403 && forbiddenMeansMissing)) {
                // without s3:ListBucket, S3 answers a missing key with 403
                return Optional.empty();
            }
            if (e.statusCode() == 403) {
                throw new IllegalStateException("S3 refused to read " + location.describe(requestId, suffix)
                        + " (403): the provisioner needs s3:GetObject on the artifact prefix (and s3:ListBucket to "
                        + "tell a missing object from a forbidden one)", e);
            }
            throw e;
        }
    }

    // ---- failures -----------------------------------------------------------------------------------

    /** The first phase that did not succeed, its messages, Terraform's error if exported, and the log link. */
    private static BuildStatus.Failed failed(Build build, String terraformError) {
        BuildPhase phase = build.phases().stream()
                .filter(p -> p.phaseStatus() != null && p.phaseStatus() != StatusType.SUCCEEDED)
                .findFirst().orElse(null);
        String phaseName = phase != null ? phase.phaseTypeAsString()
                : build.currentPhase() != null ? build.currentPhase() : build.buildStatusAsString();
        String messages = phase == null ? "" : phase.contexts().stream().map(PhaseContext::message)
                .filter(m -> m != null && !m.isBlank()).map(String::strip).collect(Collectors.joining("; "));
        StringBuilder reason = new StringBuilder("CodeBuild build ").append(build.id()).append(' ')
                .append(build.buildStatusAsString()).append(" in ").append(phaseName);
        if (!messages.isEmpty()) {
            reason.append(": ").append(messages);
        }
        if (terraformError != null && !terraformError.isBlank()) {
            reason.append('\n').append(LocalTerraformBuild.failureReason(terraformError, ""));
        }
        String link = logLink(build);
        int room = LocalTerraformBuild.REASON_MAX - link.length();
        String text = reason.length() <= room ? reason.toString() : reason.substring(0, room - 1).strip() + "…";
        return new BuildStatus.Failed(phaseName, text + link);
    }

    private static String logLink(Build build) {
        String link = build.logs() == null ? null : build.logs().deepLink();
        return link == null || link.isBlank() ? "" : " (log: " + link + ")";
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /**
     * The outcome of one call, with when it was made: the value, or the error it threw (thrown again to
     * every caller until the next call is due).
     */
    private static final class Polled<T> {
        private final Instant at;
        private final T value;
        private final RuntimeException error;

        private Polled(Instant at, T value, RuntimeException error) {
            this.at = at;
            this.value = value;
            this.error = error;
        }

        static <T> Polled<T> known(Instant at, T value) {
            return new Polled<>(at, value, null);
        }

        static <T> Polled<T> of(Instant at, java.util.function.Supplier<T> call) {
            try {
                return new Polled<>(at, call.get(), null);
            } catch (SdkException | IllegalStateException e) {
                return new Polled<>(at, null, e);
            }
        }

        T peek() {
            return value;
        }

        T get() {
            if (error != null) {
                throw error;
            }
            return value;
        }

        boolean due(Instant now, Duration interval) {
            return !now.isBefore(at.plus(interval));
        }
    }

    private boolean due(Polled<?> polled) {
        return polled == null || polled.due(now(), settings.pollInterval());
    }

    private Instant now() {
        return clock.instant();
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > CACHE_MAX;
            }
        };
    }

    private static String strip(String prefix) {
        String p = prefix;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static void checkIds(String requestId, String commitId) {
        if (!RequestIds.isValid(requestId)) {
            throw new IllegalArgumentException("not a request ID");
        }
        if (commitId == null || !COMMIT.matcher(commitId).matches()) {
            throw new IllegalArgumentException("not a commit ID");
        }
    }
}
