package com.oneclick.provisioner.inventory;

/**
 * Where one request stands in the provisioner. Moves only forward:
 * APPROVED → PUSHED → BUILDING → PROVISIONED | FAILED.
 */
public enum RowStatus {
    /** Recorded; its stack is not pushed yet. */
    APPROVED,
    /** The stack is committed and pushed ({@code commitId} set). */
    PUSHED,
    /** A build of the pushed commit was started ({@code buildId} set). */
    BUILDING,
    /** The build applied the stack; the resource columns and the outputs are filled. */
    PROVISIONED,
    /** The build failed ({@code failureReason} set); the stack's commit is reverted. */
    FAILED;

    public boolean isFinal() {
        return this == PROVISIONED || this == FAILED;
    }
}
