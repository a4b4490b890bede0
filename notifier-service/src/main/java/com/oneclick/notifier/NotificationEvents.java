package com.oneclick.notifier;

import com.oneclick.model.events.NotificationSent;

import java.util.concurrent.CompletionStage;

/**
 * Port: publishes NotificationSent. Returns at once; the stage completes once the broker
 * acknowledged the event, or exceptionally when it did not. Events of one request keep their order.
 */
public interface NotificationEvents {

    CompletionStage<?> announce(NotificationSent event);
}
