package com.oneclick.provisioner;

/**
 * Named points in {@link Provisioning} where a crash hurts most: {@link #PUSHED} (the stacks are on
 * the remote, the rows do not say so yet) and {@link #BUILT} (the build ended, its row is not
 * updated yet). The fault tests stop the service at one of them ({@code oneclick.fault.halt-at})
 * to prove that a restart resumes without losing or repeating work; otherwise nothing happens.
 */
@FunctionalInterface
public interface Checkpoint {

    String PUSHED = "pushed";
    String BUILT = "built";

    Checkpoint NONE = point -> {
    };

    void reached(String point);
}
