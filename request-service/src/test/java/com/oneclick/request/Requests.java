package com.oneclick.request;

import com.oneclick.model.InstanceRequest;

import java.util.List;
import java.util.Map;

/** Valid requests to start tests from. */
final class Requests {

    private Requests() {
    }

    static InstanceRequest valid(String name) {
        return new InstanceRequest(name, "dev@example.com", "eu-west-1", "vpc-0a1b2c3d",
                "subnet-0a1b2c3d4e5f67890", "t3.micro", "ami-0123456789abcdef0", "dev-laptop", 20,
                List.of("sg-0a1b2c3d"), Map.of("team", "payments"));
    }

    /** The JSON body a client would send for {@link #valid(String)}, with white space to trim. */
    static String validJson(String name) {
        return """
                {"name": "  %s ", "requesterEmail": "dev@example.com", "region": "eu-west-1",
                 "vpcId": "vpc-0a1b2c3d", "subnetId": "subnet-0a1b2c3d4e5f67890", "instanceType": "t3.micro",
                 "amiId": "ami-0123456789abcdef0", "keyName": "dev-laptop", "rootVolumeGiB": 20,
                 "securityGroupIds": ["sg-0a1b2c3d"], "tags": {"team": "payments"}}
                """.formatted(name);
    }
}
