package com.oneclick.notifier;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.RequestEvent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Valid requests and events for tests. */
public final class TestEvents {

    private TestEvents() {
    }

    public static InstanceRequest request(String name, String requesterEmail) {
        return new InstanceRequest(name, requesterEmail, "eu-west-1", "vpc-0a1b2c3d", "subnet-0a1b2c3d", "t3.micro",
                "ami-0a1b2c3d4e5f67890", "dev-key", 20, List.of("sg-0a1b2c3d"), Map.of("team", "platform"));
    }

    /** A unique requester address per request, so tests can count the mail of their own request. */
    public static String requesterOf(String requestId) {
        return "dev-" + requestId + "@example.com";
    }

    public static InstanceProvisioned provisioned(String requestId, String name, boolean simulated) {
        return new InstanceProvisioned(UUID.randomUUID(), requestId, Instant.now(), RequestEvent.SCHEMA_VERSION,
                "i-0123456789abcdef0", name, "10.0.1.23", "eu-west-1a", simulated, "0123abcd", "local-42",
                request(name, requesterOf(requestId)));
    }

    public static String newRequestId() {
        return RequestIds.newId();
    }
}
