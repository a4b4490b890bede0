package com.oneclick.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a requester asks for: a product of the catalog ({@code product}, by default
 * {@value ProductCatalog#DEFAULT_PRODUCT}) and its settings. Carried inside the events so each
 * consumer has the request without asking another service. The type keeps the name it had when EC2
 * instances were the only product.
 *
 * <p>Fields used by every product: name, requester, region, VPC, security groups, tags and the
 * time-to-live. The EC2 fields (subnet, instance type, AMI, key pair, root volume) are set only when
 * the product uses them ({@link com.oneclick.model.catalog.Product#requestFields()}); any other
 * product's own settings are text values in {@code parameters}, each checked by the catalog's rule
 * for it. A request without {@code product} (every event written before products existed) is an EC2
 * instance; {@code parameters} is left out of the JSON when empty.
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
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer timeToLiveHours,
        String product,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> parameters) {

    public InstanceRequest {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        // an empty map is the shared Map.of(): a provisioner holds ~100,000 requests in memory
        tags = tags == null || tags.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        product = product == null ? ProductCatalog.DEFAULT_PRODUCT : product;
        parameters = parameters == null || parameters.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** An EC2 instance request (the shape before products existed). */
    public InstanceRequest(String name, String requesterEmail, String region, String vpcId, String subnetId,
                           String instanceType, String amiId, String keyName, Integer rootVolumeGiB,
                           List<String> securityGroupIds, Map<String, String> tags, Integer timeToLiveHours) {
        this(name, requesterEmail, region, vpcId, subnetId, instanceType, amiId, keyName, rootVolumeGiB,
                securityGroupIds, tags, timeToLiveHours, ProductCatalog.DEFAULT_PRODUCT, Map.of());
    }

    /** A request for a product other than EC2: the EC2 fields are left out, its settings are {@code parameters}. */
    public static InstanceRequest forProduct(String product, String name, String requesterEmail, String region,
                                             String vpcId, List<String> securityGroupIds, Map<String, String> tags,
                                             Integer timeToLiveHours, Map<String, String> parameters) {
        return new InstanceRequest(name, requesterEmail, region, vpcId, null, null, null, null, null,
                securityGroupIds, tags, timeToLiveHours, product, parameters);
    }

    /** An EC2 instance request without a time-to-live (the shape before {@code timeToLiveHours} existed). */
    public InstanceRequest(String name, String requesterEmail, String region, String vpcId, String subnetId,
                           String instanceType, String amiId, String keyName, Integer rootVolumeGiB,
                           List<String> securityGroupIds, Map<String, String> tags) {
        this(name, requesterEmail, region, vpcId, subnetId, instanceType, amiId, keyName, rootVolumeGiB,
                securityGroupIds, tags, null);
    }

    /**
     * The same request with surrounding white space removed from every text field, and each known
     * parameter in its one written form (a list as {@code a,b}).
     */
    public InstanceRequest normalized() {
        Map<String, String> trimmedTags = new LinkedHashMap<>();
        tags.forEach((k, v) -> trimmedTags.put(trim(k), trim(v)));
        Map<String, String> trimmedParameters = new LinkedHashMap<>();
        Optional<Product> known = ProductCatalog.standard().find(trim(product));
        parameters.forEach((k, v) -> trimmedParameters.put(trim(k), known.flatMap(p -> p.parameter(trim(k)))
                .map(p -> p.normalize(v)).orElse(trim(v))));
        return new InstanceRequest(trim(name), trim(requesterEmail), trim(region), trim(vpcId), trim(subnetId),
                trim(instanceType), trim(amiId), trim(keyName), rootVolumeGiB,
                securityGroupIds.stream().map(InstanceRequest::trim).toList(), trimmedTags, timeToLiveHours,
                trim(product), trimmedParameters);
    }

    /** The catalog entry of this request's product, if the catalog has it. */
    @JsonIgnore
    public Optional<Product> catalogProduct() {
        return ProductCatalog.standard().find(product);
    }

    private static String trim(String value) {
        return value == null ? null : value.strip();
    }
}
