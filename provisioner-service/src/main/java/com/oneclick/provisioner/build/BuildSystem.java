package com.oneclick.provisioner.build;

import com.oneclick.model.catalog.Product;

import java.util.Optional;

/**
 * The port to whatever applies a pushed stack: the local Terraform CLI, or a CI build (CodeBuild)
 * that the push triggered. Neither method waits for a build to end: the provisioner polls
 * {@link #status}, so a build of any length never holds up a Kafka consumer.
 *
 * <p>{@code product} is the catalog entry of the stack's request: which module applies it, and which
 * outputs a build that succeeded must report ({@link BuildStatus.Succeeded} carries exactly those).
 */
public interface BuildSystem {

    /** {@code local} or {@code codebuild}; carried in BuildStarted. */
    String mode();

    /** True when the build creates no real resource (the local module only simulates one). */
    boolean simulated();

    /**
     * Starts, or finds, the build of the stack at {@code commitId} and returns its ID. Empty while the
     * build cannot be seen yet (a CI build that the push triggers takes a moment to appear): the
     * caller asks again later and decides when it has waited too long. Idempotent.
     *
     * @throws RuntimeException when the build service cannot be reached; the caller tries again later
     */
    Optional<String> start(String requestId, String commitId, Product product);

    /**
     * Where the build is now; returns quickly. A build that ran and failed is a
     * {@link BuildStatus.Failed}; a build that could not be looked at (I/O, unreachable service) throws,
     * so the caller can try again later. After a restart the provisioner asks about builds it
     * started before: an implementation that lost track of one must pick it up again (re-run or re-find it).
     * Outputs that break the module contract (one of the product's outputs missing, or not text, a number,
     * a bool or a list of those) are a {@link BuildStatus.Failed}.
     */
    BuildStatus status(String requestId, String commitId, String buildId, Product product);

    /**
     * Registers what to call when a build may have changed state, so the provisioner looks at once
     * instead of at its next pass. Optional: a build system that cannot tell is simply polled.
     */
    default void whenChanged(Runnable listener) {
    }
}
