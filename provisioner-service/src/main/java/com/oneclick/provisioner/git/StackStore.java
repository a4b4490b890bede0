package com.oneclick.provisioner.git;

import java.util.Map;

/** The port to the infrastructure repository, where each request is a stack {@code stacks/<requestId>/}. */
public interface StackStore {

    /** The branch stacks are pushed to. */
    String branch();

    /** The stack's directory in the repository, e.g. {@code stacks/<requestId>}. */
    String stackPath(String requestId);

    /**
     * Commits the stack's files (only if they differ from what the branch holds) and pushes the
     * branch. Idempotent: calling it again with the same files makes no new commit.
     *
     * @return the ID of the commit on the remote branch that last changed the stack
     * @throws StackPushException when the remote refused the push or stayed unreachable
     */
    String pushStack(String requestId, Map<String, byte[]> files, String message);

    /**
     * Takes the stack back out of the branch by reverting {@code commitId}, and pushes. Idempotent:
     * when the branch no longer holds the stack, only an unpushed revert is pushed.
     */
    void revertStack(String requestId, String commitId);
}
