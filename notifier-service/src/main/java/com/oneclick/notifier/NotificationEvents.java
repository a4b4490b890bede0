package com.oneclick.notifier;

import com.oneclick.model.events.NotificationSent;

/** Port: publishes NotificationSent; returns only once the broker acknowledged it. */
public interface NotificationEvents {

    void announce(NotificationSent event);
}
