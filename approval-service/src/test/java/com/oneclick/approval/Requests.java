package com.oneclick.approval;

import com.oneclick.model.InstanceRequest;
import com.oneclick.testsupport.AuroraRequests;

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
        return AuroraRequests.request(name, email, vpcId, Map.of("team", "payments"));
    }

    public static InstanceRequest of(String name, String email, String instanceType, String vpcId) {
        return new InstanceRequest(name, email, "eu-west-1", vpcId, "subnet-0a1b2c3d4e5f67890",
                instanceType, "ami-0123456789abcdef0", "dev-laptop", 20, List.of("sg-0a1b2c3d"),
                Map.of("team", "payments"));
    }
}
