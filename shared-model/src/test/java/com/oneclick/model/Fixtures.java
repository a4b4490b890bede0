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

    /** A valid request with a time-to-live of one week. */
    public static InstanceRequest validRequestWithTimeToLive() {
        InstanceRequest r = validRequest();
        return new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(), r.subnetId(),
                r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(), r.securityGroupIds(), r.tags(), 168);
    }
}
