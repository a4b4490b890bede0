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
        @DefaultValue Build build) {

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

    /** {@code mode}: {@code local} (Terraform CLI on this machine); {@code codebuild} comes later. */
    public record Build(
            @DefaultValue("local") String mode,
            @DefaultValue Terraform terraform) {
    }

    public record Terraform(
            @DefaultValue("terraform") String bin,
            @DefaultValue("terraform/local") Path moduleDir,
            @DefaultValue("10m") Duration timeout) {
    }
}
