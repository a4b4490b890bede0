package com.oneclick.provisioner.build;

import com.oneclick.model.catalog.Product;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a build reported for a stack: every output the product's catalog entry lists, as text, in
 * the catalog's order (output name → value). Strings are as they are, numbers and booleans their
 * JSON text ({@code 3306}, {@code true}), lists their items joined with {@code ", "}.
 *
 * <p>The resource's ID and Name are the outputs with the catalog roles {@code id} and {@code name};
 * the private IP and availability zone are the outputs {@value #PRIVATE_IP} and
 * {@value #AVAILABILITY_ZONE}, which only some products have (EC2).
 */
public record InstanceOutputs(Map<String, String> values) {

    public static final String PRIVATE_IP = "private_ip";
    public static final String AVAILABILITY_ZONE = "availability_zone";

    public InstanceOutputs {
        Objects.requireNonNull(values, "values");
        values.forEach((name, value) -> Objects.requireNonNull(value, () -> "output " + name + " has no value"));
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The resource's ID: the product's output with role {@code id} ({@code instance_id} for EC2). */
    public String id(Product product) {
        return values.get(product.idOutput().name());
    }

    /** The resource's Name tag: the product's output with role {@code name}. */
    public String name(Product product) {
        return values.get(product.nameOutput().name());
    }

    /** The {@value #PRIVATE_IP} output; null for a product without one. */
    public String privateIp() {
        return values.get(PRIVATE_IP);
    }

    /** The {@value #AVAILABILITY_ZONE} output; null for a product without one. */
    public String availabilityZone() {
        return values.get(AVAILABILITY_ZONE);
    }
}
