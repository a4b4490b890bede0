package com.oneclick.provisioner;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code oneclick.*}: where the provisioner keeps its files, the infrastructure repository, and
 * the build. Every value can be set by environment variable (see application.yml and README).
 */
@ConfigurationProperties("oneclick")
public record ProvisionerProperties(
        @DefaultValue(".oneclick/provisioner") Path dataDir,
        @DefaultValue Git git,
        @DefaultValue Build build,
        @DefaultValue Driver provisioning,
        @DefaultValue Fault fault) {

    /**
     * The infrastructure repository. {@code token} is a secret: it never appears in
     * {@link #toString()}, a log line, the CSV, the repository or an event.
     */
    public record Git(
            @DefaultValue(".oneclick/remote.git") String remote,
            @DefaultValue("main") String branch,
            String username,
            String token,
            @DefaultValue Push push,
            @DefaultValue Repack repack) {

        @Override
        public String toString() {
            return "Git[remote=" + remote + ", branch=" + branch + ", username=" + username + ", token="
                    + (token == null || token.isEmpty() ? "<unset>" : "<hidden>") + ", push=" + push + ", repack="
                    + repack + "]";
        }
    }

    /**
     * When the local repository is repacked (in the background): once {@code afterLooseObjects}
     * objects, or {@code afterLooseSize} of them, were written loose since the last repack. The
     * defaults are {@code StackRepository.Repack.DEFAULT}'s.
     */
    public record Repack(
            @DefaultValue("6700") long afterLooseObjects,
            @DefaultValue("256MB") DataSize afterLooseSize) {
    }

    /** Push retries: {@code maxAttempts} in all, waiting {@code backoff}, 2×, 4×… between unreachable-remote errors. */
    public record Push(
            @DefaultValue("5") int maxAttempts,
            @DefaultValue("1s") Duration backoff,
            @DefaultValue("60s") Duration timeout) {
    }

    /**
     * {@code mode}: {@code local} (Terraform CLI on this machine) or {@code codebuild}.
     * {@code appearTimeout}: how long a pushed stack may wait for its build to appear before it fails.
     */
    public record Build(
            @DefaultValue("local") String mode,
            @DefaultValue("10m") Duration appearTimeout,
            @DefaultValue Terraform terraform,
            @DefaultValue CodeBuild codebuild) {

        @ConstructorBinding
        public Build {
        }

        /** The local build, CodeBuild left at its defaults. */
        public Build(String mode, Duration appearTimeout, Terraform terraform) {
            this(mode, appearTimeout, terraform, new CodeBuild(null, null, null, null, false, Duration.ofSeconds(15),
                    Duration.ofHours(1), null, null));
        }
    }

    /**
     * The CodeBuild build ({@code mode=codebuild}): the {@code project} that applies the stacks; {@code region}
     * (blank: the SDK's chain, e.g. {@code AWS_REGION}); {@code endpoint} / {@code s3Endpoint} overrides (blank:
     * AWS's); {@code startBuild}: start the build of a pushed commit with StartBuild instead of waiting for the
     * webhook's; {@code pollInterval}: at most one call per build in that time; {@code lookback}: older builds
     * are not searched; {@code artifactBucket} / {@code artifactPrefix}: read {@code outputs/<id>.json} there
     * instead of from the build's artifact location. Credentials come from the SDK's default chain.
     */
    public record CodeBuild(
            String project,
            String region,
            String endpoint,
            String s3Endpoint,
            @DefaultValue("false") boolean startBuild,
            @DefaultValue("15s") Duration pollInterval,
            @DefaultValue("1h") Duration lookback,
            String artifactBucket,
            String artifactPrefix) {
    }

    /**
     * The local build: {@code modulesDir} holds one module directory per product ({@code ec2-instance},
     * {@code aurora-mysql}, ...); {@code parallelism} stacks apply at once; {@code niceness} lowers the CPU priority of the Terraform processes (0: none).
     */
    public record Terraform(
            @DefaultValue("terraform") String bin,
            @DefaultValue("terraform/local") Path modulesDir,
            @DefaultValue("10m") Duration timeout,
            @DefaultValue("2") int parallelism,
            @DefaultValue("10") int niceness) {
    }

    /**
     * The driver: {@code maxBatch} stacks at most in one commit; a request whose push keeps failing
     * fails after {@code pushGiveUpAfter}; {@code idle} is the pause between passes when nothing moved.
     */
    public record Driver(
            @DefaultValue("100") int maxBatch,
            @DefaultValue("30m") Duration pushGiveUpAfter,
            @DefaultValue("100ms") Duration idle) {
    }

    /**
     * For fault tests only: {@code haltAt} names a {@link Checkpoint} at which the process stops dead
     * (as if killed), once. Empty, the default, does nothing.
     */
    public record Fault(@DefaultValue("") String haltAt) {
    }
}
