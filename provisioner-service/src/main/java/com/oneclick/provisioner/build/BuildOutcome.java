package com.oneclick.provisioner.build;

/** How a build ended. */
public sealed interface BuildOutcome {

    /** The stack applied; these are its outputs. */
    record Succeeded(InstanceOutputs outputs) implements BuildOutcome {
    }

    /** The stack did not apply; {@code reason} is what the tool said. */
    record Failed(String reason) implements BuildOutcome {
    }
}
