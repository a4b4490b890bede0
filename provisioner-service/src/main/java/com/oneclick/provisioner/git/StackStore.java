package com.oneclick.provisioner.git;

import java.util.Map;

/** The port to the infrastructure repository, where each request is a stack {@code stacks/<requestId>/}. */
public interface StackStore {

    /** The branch stacks are pushed to. */
    String branch();

    /** The stack's directory in the repository, e.g. {@code stacks/<requestId>}. */
    String stackPath(String requestId);

    /**
     * Commits the given stacks (request ID → file name → content) in one commit, holding only those
     * that differ from what the branch has, and pushes the branch once. Idempotent: calling it
     * again with the same files makes no new commit.
     *
     * @return for each request ID, the ID of the commit on the remote branch that last changed its stack
     * @throws StackPushException when the remote refused the push or stayed unreachable; nothing is
     *                            lost, the next call pushes what is committed
     */
    Map<String, String> pushStacks(Map<String, Map<String, byte[]>> stacks, String message);

    /** One stack: {@link #pushStacks} with one entry. */
    default String pushStack(String requestId, Map<String, byte[]> files, String message) {
        return pushStacks(Map.of(requestId, files), message).get(requestId);
    }

    /**
     * Takes the stack back out of the branch (it was pushed in {@code commitId}, possibly with other
     * stacks, which stay) and pushes. Idempotent: when the branch no longer holds the stack, only an
     * unpushed change is pushed.
     */
    void revertStack(String requestId, String commitId);
}
