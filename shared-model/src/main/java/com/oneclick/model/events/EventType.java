package com.oneclick.model.events;

import com.oneclick.model.Topics;

import java.util.Arrays;
import java.util.Optional;

/**
 * Each event's logical name on the wire (never a Java class name) and the topic it is published on.
 */
public enum EventType {

    REQUEST_SUBMITTED("RequestSubmitted", RequestSubmitted.class, Topics.REQUESTED),
    REQUEST_APPROVED("RequestApproved", RequestApproved.class, Topics.APPROVED),
    REQUEST_REJECTED("RequestRejected", RequestRejected.class, Topics.REJECTED),
    APPROVAL_REQUESTED("ApprovalRequested", ApprovalRequested.class, Topics.AWAITING_APPROVAL),
    STACK_PUSHED("StackPushed", StackPushed.class, Topics.PROGRESS),
    BUILD_STARTED("BuildStarted", BuildStarted.class, Topics.PROGRESS),
    INSTANCE_PROVISIONED("InstanceProvisioned", InstanceProvisioned.class, Topics.PROVISIONED),
    PROVISIONING_FAILED("ProvisioningFailed", ProvisioningFailed.class, Topics.FAILED),
    NOTIFICATION_SENT("NotificationSent", NotificationSent.class, Topics.NOTIFIED);

    private final String wireName;
    private final Class<? extends RequestEvent> javaType;
    private final String topic;

    EventType(String wireName, Class<? extends RequestEvent> javaType, String topic) {
        this.wireName = wireName;
        this.javaType = javaType;
        this.topic = topic;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends RequestEvent> javaType() {
        return javaType;
    }

    public String topic() {
        return topic;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static EventType of(RequestEvent event) {
        return Arrays.stream(values()).filter(t -> t.javaType == event.getClass()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an event type: " + event.getClass()));
    }
}
