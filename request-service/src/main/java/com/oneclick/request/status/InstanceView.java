package com.oneclick.request.status;

/** The provisioned instance; {@code simulated} when the local build produced it. */
public record InstanceView(String instanceId, String instanceName, String privateIp, String availabilityZone,
                           boolean simulated) {
}
