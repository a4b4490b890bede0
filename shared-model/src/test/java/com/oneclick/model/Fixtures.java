package com.oneclick.model;

import java.util.List;
import java.util.Map;

/** A valid request to start tests from. */
public final class Fixtures {

    private Fixtures() {
    }

    public static InstanceRequest validRequest() {
        return new InstanceRequest("build-agent-7", "dev@example.com", "eu-west-1", "vpc-0a1b2c3d",
                "subnet-0a1b2c3d4e5f67890", "t3.micro", "ami-0123456789abcdef0", "dev-laptop", 20,
                List.of("sg-0a1b2c3d"), Map.of("team", "payments"));
    }

    /** A valid request for the second product: an Aurora MySQL cluster over two subnets. */
    public static InstanceRequest validAuroraRequest() {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        parameters.put("subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d");
        parameters.put("instanceClass", "db.t4g.medium");
        parameters.put("engineVersion", "8.0.mysql_aurora.3.08.0");
        parameters.put("instances", "2");
        parameters.put("databaseName", "orders");
        parameters.put("masterUsername", "admin");
        parameters.put("backupRetentionDays", "7");
        return InstanceRequest.forProduct("aurora-mysql", "orders-db", "dev@example.com", "eu-west-1",
                "vpc-0a1b2c3d", List.of("sg-0a1b2c3d"), Map.of("team", "payments"), null, parameters);
    }

    /** A valid request with a time-to-live of one week. */
    public static InstanceRequest validRequestWithTimeToLive() {
        InstanceRequest r = validRequest();
        return new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(), r.subnetId(),
                r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(), r.securityGroupIds(), r.tags(), 168);
    }
}
