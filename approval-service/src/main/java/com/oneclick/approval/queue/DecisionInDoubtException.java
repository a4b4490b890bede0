package com.oneclick.approval.queue;

/**
 * The last attempt to publish a decision on this request failed without a clear answer: the event
 * may still reach the topic. Deciding again now could publish a second, contradicting decision.
 */
public class DecisionInDoubtException extends RuntimeException {

    public DecisionInDoubtException(String requestId) {
        super("A decision on request " + requestId + " could not be confirmed by the event bus a moment ago and "
                + "may still arrive; try again in a few seconds.");
    }
}
