package com.oneclick.provisioner;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
            @DefaultValue Push push) {

        @Override
        public String toString() {
            return "Git[remote=" + remote + ", branch=" + branch + ", username=" + username + ", token="
                    + (token == null || token.isEmpty() ? "<unset>" : "<hidden>") + ", push=" + push + "]";
        }
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
            @DefaultValue Terraform terraform) {
    }

    /** The local build: {@code parallelism} stacks apply at once. */
    public record Terraform(
            @DefaultValue("terraform") String bin,
            @DefaultValue("terraform/local") Path moduleDir,
            @DefaultValue("10m") Duration timeout,
            @DefaultValue("2") int parallelism) {
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
