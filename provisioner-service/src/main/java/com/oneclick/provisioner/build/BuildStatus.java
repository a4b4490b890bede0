package com.oneclick.provisioner.build;

/** Where a build is: still running, or how it ended. */
public sealed interface BuildStatus {

    /** The build has not ended yet; ask again later. */
    BuildStatus RUNNING = new Running();

    record Running() implements BuildStatus {
    }

    /** The stack applied; these are its outputs (those the product's catalog entry lists). */
    record Succeeded(InstanceOutputs outputs) implements BuildStatus {
    }

    /**
     * The stack did not apply. {@code phase} is where it stopped (a Terraform step such as
     * {@code apply}, or a CI build phase such as {@code BUILD}); {@code reason} is what the tool said,
     * with a link to the build's log where there is one.
     */
    record Failed(String phase, String reason) implements BuildStatus {
    }
}
