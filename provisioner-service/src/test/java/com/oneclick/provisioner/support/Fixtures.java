package com.oneclick.provisioner.support;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.testsupport.AuroraRequests;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Valid requests and rows for tests. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456Z");

    private Fixtures() {
    }

    public static InstanceRequest request(String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("team", "platform");
        tags.put("cost-center", "42");
        return new InstanceRequest(name, "dev@example.com", "eu-west-1", "vpc-0a1b2c3d", "subnet-0a1b2c3d",
                "t3.micro", "ami-0a1b2c3d4e5f67890", "my-key", 20, List.of("sg-0a1b2c3d", "sg-11112222"), tags);
    }

    /** The four outputs of the EC2 module, in its order, for an instance named web-1. */
    public static Map<String, String> ec2Outputs(String instanceId) {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("instance_id", instanceId);
        outputs.put("instance_name", "web-1");
        outputs.put("private_ip", "10.1.2.3");
        outputs.put("availability_zone", "eu-west-1a");
        return outputs;
    }

    public static InventoryRow row(String name) {
        return InventoryRow.approved(RequestIds.newId(), request(name), "alice", T0);
    }

    /** An Aurora MySQL cluster over two subnets with two instances (shared-model's valid aurora request). */
    public static InstanceRequest auroraRequest(String name) {
        return auroraRequest(name, Map.of("team", "payments"));
    }

    public static InstanceRequest auroraRequest(String name, Map<String, String> tags) {
        return AuroraRequests.request(name, "dev@example.com", "vpc-0a1b2c3d", tags);
    }

    public static InventoryRow auroraRow(String name) {
        return InventoryRow.approved(RequestIds.newId(), auroraRequest(name), "alice", T0);
    }
}
