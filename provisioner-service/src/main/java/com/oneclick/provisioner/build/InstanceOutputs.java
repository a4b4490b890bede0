package com.oneclick.provisioner.build;

/** The outputs every EC2 module has. */
public record InstanceOutputs(String instanceId, String instanceName, String privateIp, String availabilityZone) {
}
