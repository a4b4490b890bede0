package com.oneclick.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a requester asks for: everything an EC2 launch needs. Carried inside the events so each
 * consumer has the request without asking another service.
 *
 * <p>Never holds key material: {@code keyName} is the name of an existing EC2 key pair.
 *
 * <p>{@code timeToLiveHours} is optional (null: no expiry). OneClick destroys nothing: the
 * provisioner turns it into an expiry date tagged on the instance ({@code oneclick:expires-at})
 * for the platform's clean-up to act on. It is left out of the JSON when null, so a request
 * without it is written exactly as before the field existed.
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
        Map<String, String> tags,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer timeToLiveHours) {

    public InstanceRequest {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** A request without a time-to-live (the shape before {@code timeToLiveHours} existed). */
    public InstanceRequest(String name, String requesterEmail, String region, String vpcId, String subnetId,
                           String instanceType, String amiId, String keyName, Integer rootVolumeGiB,
                           List<String> securityGroupIds, Map<String, String> tags) {
        this(name, requesterEmail, region, vpcId, subnetId, instanceType, amiId, keyName, rootVolumeGiB,
                securityGroupIds, tags, null);
    }

    /** The same request with surrounding white space removed from every text field. */
    public InstanceRequest normalized() {
        Map<String, String> trimmedTags = new LinkedHashMap<>();
        tags.forEach((k, v) -> trimmedTags.put(trim(k), trim(v)));
        return new InstanceRequest(trim(name), trim(requesterEmail), trim(region), trim(vpcId), trim(subnetId),
                trim(instanceType), trim(amiId), trim(keyName), rootVolumeGiB,
                securityGroupIds.stream().map(InstanceRequest::trim).toList(), trimmedTags, timeToLiveHours);
    }

    private static String trim(String value) {
        return value == null ? null : value.strip();
    }
}
