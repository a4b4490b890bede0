package com.oneclick.testsupport;

import com.oneclick.model.InstanceRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Valid requests for the catalog's {@code aurora-mysql} product, for the services' tests: a cluster
 * of two instances over two subnets (the values of shared-model's own test fixture).
 */
public final class AuroraRequests {

    public static final String PRODUCT = "aurora-mysql";

    private AuroraRequests() {
    }

    /** Every parameter of the product, valid, in the catalog's order; a new map each time. */
    public static Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d");
        parameters.put("instanceClass", "db.t4g.medium");
        parameters.put("engineVersion", "8.0.mysql_aurora.3.08.0");
        parameters.put("instances", "2");
        parameters.put("databaseName", "orders");
        parameters.put("masterUsername", "admin");
        parameters.put("backupRetentionDays", "7");
        return parameters;
    }

    /** A request in eu-west-1 with one security group, no time-to-live and {@link #parameters()}. */
    public static InstanceRequest request(String name, String requesterEmail, String vpcId, Map<String, String> tags) {
        return request(name, requesterEmail, vpcId, tags, parameters());
    }

    public static InstanceRequest request(String name, String requesterEmail, String vpcId, Map<String, String> tags,
                                          Map<String, String> parameters) {
        return InstanceRequest.forProduct(PRODUCT, name, requesterEmail, "eu-west-1", vpcId, List.of("sg-0a1b2c3d"),
                tags, null, parameters);
    }
}
