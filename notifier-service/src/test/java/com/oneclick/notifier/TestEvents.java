package com.oneclick.notifier;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.testsupport.AuroraRequests;

import java.time.Instant;
import java.util.LinkedHashMap;
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

    /** An Aurora MySQL cluster request (the values of shared-model's {@code Fixtures.validAuroraRequest}). */
    public static InstanceRequest auroraRequest(String name, String requesterEmail) {
        return AuroraRequests.request(name, requesterEmail, "vpc-0a1b2c3d", Map.of("team", "platform"));
    }

    public static final String WRITER = "orders-db.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com";
    public static final String READER = "orders-db.cluster-ro-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com";
    public static final String SECRET_ARN =
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-0a1b2c3d-AbCdEf";

    /** An Aurora cluster provisioned, with every output of the catalog (as the provisioner reports them). */
    public static InstanceProvisioned auroraProvisioned(String requestId, String name, boolean simulated) {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("cluster_identifier", "oneclick-" + requestId.substring(0, 8));
        outputs.put("cluster_name", name);
        outputs.put("endpoint", WRITER);
        outputs.put("reader_endpoint", READER);
        outputs.put("port", "3306");
        outputs.put("master_user_secret_arn", SECRET_ARN);
        outputs.put("availability_zones", "eu-west-1a,eu-west-1b");
        return new InstanceProvisioned(UUID.randomUUID(), requestId, Instant.now(), RequestEvent.SCHEMA_VERSION,
                "oneclick-" + requestId.substring(0, 8), name, null, null, simulated, "0123abcd", "local-43",
                auroraRequest(name, requesterOf(requestId)), outputs);
    }

    /** {@link #provisioned} as the provisioner writes it since products exist: with its outputs. */
    public static InstanceProvisioned provisionedWithOutputs(String requestId, String name, boolean simulated) {
        InstanceProvisioned old = provisioned(requestId, name, simulated);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("instance_id", old.instanceId());
        outputs.put("instance_name", old.instanceName());
        outputs.put("private_ip", old.privateIp());
        outputs.put("availability_zone", old.availabilityZone());
        return new InstanceProvisioned(old.eventId(), requestId, old.occurredAt(), old.schemaVersion(),
                old.instanceId(), old.instanceName(), old.privateIp(), old.availabilityZone(), simulated,
                old.commitId(), old.buildId(), old.request(), outputs);
    }

    public static String newRequestId() {
        return RequestIds.newId();
    }
}
