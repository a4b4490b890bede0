package com.oneclick.approval;

import com.oneclick.model.InstanceRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Valid requests to start tests from. */
public final class Requests {

    private Requests() {
    }

    public static InstanceRequest valid(String name) {
        return byRequester(name, "dev@example.com");
    }

    public static InstanceRequest byRequester(String name, String email) {
        return new InstanceRequest(name, email, "eu-west-1", "vpc-0a1b2c3d", "subnet-0a1b2c3d4e5f67890",
                "t3.micro", "ami-0123456789abcdef0", "dev-laptop", 20, List.of("sg-0a1b2c3d"),
                Map.of("team", "payments"));
    }

    /** An Aurora MySQL cluster request (the values of shared-model's {@code Fixtures.validAuroraRequest}). */
    public static InstanceRequest aurora(String name, String email, String vpcId) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d");
        parameters.put("instanceClass", "db.t4g.medium");
        parameters.put("engineVersion", "8.0.mysql_aurora.3.08.0");
        parameters.put("instances", "2");
        parameters.put("databaseName", "orders");
        parameters.put("masterUsername", "admin");
        parameters.put("backupRetentionDays", "7");
        return InstanceRequest.forProduct("aurora-mysql", name, email, "eu-west-1", vpcId, List.of("sg-0a1b2c3d"),
                Map.of("team", "payments"), null, parameters);
    }

    public static InstanceRequest of(String name, String email, String instanceType, String vpcId) {
        return new InstanceRequest(name, email, "eu-west-1", vpcId, "subnet-0a1b2c3d4e5f67890",
                instanceType, "ami-0123456789abcdef0", "dev-laptop", 20, List.of("sg-0a1b2c3d"),
                Map.of("team", "payments"));
    }
}
