package com.oneclick.provisioner.events;

import com.oneclick.model.events.RequestEvent;

/** The port events leave through. Returns only once the event is durably published; throws otherwise. */
public interface EventSink {

    void publish(RequestEvent event);
}
