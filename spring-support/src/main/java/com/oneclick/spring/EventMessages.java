package com.oneclick.spring;

import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.json.EventJson;
import com.oneclick.model.json.UnreadableEventException;
import org.springframework.messaging.Message;

/** Turns a consumed Spring message into an event, or throws {@link UnreadableEventException}. */
public final class EventMessages {

    private EventMessages() {
    }

    public static RequestEvent decode(Message<byte[]> message) {
        return EventJson.read(message.getHeaders().get(EventJson.TYPE_HEADER), message.getPayload());
    }

    /** Decodes a message that must hold one particular event type. */
    public static <T extends RequestEvent> T decode(Message<byte[]> message, Class<T> type) {
        RequestEvent event = decode(message);
        if (!type.isInstance(event)) {
            throw new UnreadableEventException("expected " + type.getSimpleName() + " but got "
                    + event.type().wireName());
        }
        return type.cast(event);
    }
}
