package com.oneclick.provisioner.build;

/**
 * The port to whatever applies a pushed stack: the local Terraform CLI, or a CI build (CodeBuild)
 * that the push triggered.
 */
public interface BuildSystem {

    /** {@code local} or {@code codebuild}; carried in BuildStarted. */
    String mode();

    /** True when the build creates no real resource (the local module only simulates one). */
    boolean simulated();

    /** Starts, or finds, the build of the stack at {@code commitId}; returns its ID. */
    String start(String requestId, String commitId);

    /**
     * Waits until the build ends. A build that ran and failed is a {@link BuildOutcome.Failed} with
     * the tool's message; a build that could not be run or tracked (I/O, unreachable service)
     * throws, so the caller can try again later.
     */
    BuildOutcome await(String requestId, String commitId, String buildId);
}
