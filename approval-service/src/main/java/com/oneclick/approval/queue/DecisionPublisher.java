package com.oneclick.approval.queue;

import com.oneclick.model.events.RequestEvent;

/**
 * The port decisions leave through. {@link #publish} returns only once the event bus acknowledged
 * the event and throws otherwise.
 */
@FunctionalInterface
public interface DecisionPublisher {

    void publish(RequestEvent decision);
}
