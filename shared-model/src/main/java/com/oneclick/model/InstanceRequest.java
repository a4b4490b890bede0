package com.oneclick.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a requester asks for: everything an EC2 launch needs. Carried inside the events so each
 * consumer has the request without asking another service.
 *
 * <p>Never holds key material: {@code keyName} is the name of an existing EC2 key pair.
 */
public record InstanceRequest(
        String name,
        String requesterEmail,
        String region,
        String vpcId,
        String subnetId,
        String instanceType,
        String amiId,
        String keyName,
        Integer rootVolumeGiB,
        List<String> securityGroupIds,
        Map<String, String> tags) {

    public InstanceRequest {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** The same request with surrounding white space removed from every text field. */
    public InstanceRequest normalized() {
        Map<String, String> trimmedTags = new LinkedHashMap<>();
        tags.forEach((k, v) -> trimmedTags.put(trim(k), trim(v)));
        return new InstanceRequest(trim(name), trim(requesterEmail), trim(region), trim(vpcId), trim(subnetId),
                trim(instanceType), trim(amiId), trim(keyName), rootVolumeGiB,
                securityGroupIds.stream().map(InstanceRequest::trim).toList(), trimmedTags);
    }

    private static String trim(String value) {
        return value == null ? null : value.strip();
    }
}
