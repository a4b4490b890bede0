package com.oneclick.deploy.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.events.StackPushed;
import com.oneclick.model.json.EventJson;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests the benchmark sends (valid for shared-model's rules: EC2 instances, the default
 * product), and the same request as a {@code terraform.tfvars.json} mapped by the product catalog,
 * for the raw Terraform baseline and the seeded stacks.
 */
public final class BenchRequests {

    public static final String REQUESTER = "bench@example.com";
    public static final String TFVARS = "terraform.tfvars.json";
    public static final String STACK_FILE = "stack.json";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectWriter PRETTY = JSON.writer(
            new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private BenchRequests() {
    }

    /** Request number {@code n} of a run labelled {@code label} (letters, digits and dashes). */
    public static InstanceRequest request(String label, int n) {
        return new InstanceRequest("bench-" + label + "-" + n, REQUESTER, "eu-west-1", "vpc-0a1b2c3d",
                "subnet-0a1b2c3d4e5f67890", "t3.micro", "ami-0123456789abcdef0", "bench-key", 20,
                List.of("sg-0a1b2c3d"), Map.of("team", "bench"));
    }

    /** The request as JSON, the body of {@code POST /api/requests}. */
    public static String json(InstanceRequest request) {
        try {
            return JSON.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The bodies of the six events one request puts on the topics, in order (RequestSubmitted,
     * RequestApproved, StackPushed, BuildStarted, InstanceProvisioned, NotificationSent), as the
     * services write them: the raw Kafka baseline sends these through its hops.
     */
    public static List<byte[]> eventBodies(InstanceRequest request) {
        String id = RequestIds.newId();
        String commit = "0123456789abcdef0123456789abcdef01234567";
        RequestApproved approved = RequestApproved.of(id, "approver", "benchmark", request);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("instance_id", "i-0123456789abcdef0");
        outputs.put("instance_name", request.name());
        outputs.put("private_ip", "10.1.2.3");
        outputs.put("availability_zone", request.region() + "a");
        InstanceProvisioned provisioned = InstanceProvisioned.of(id, "i-0123456789abcdef0", request.name(),
                "10.1.2.3", request.region() + "a", true, commit, "local-" + RequestIds.newId(), request, outputs);
        return List.of(
                EventJson.write(RequestSubmitted.of(id, request)),
                EventJson.write(approved),
                EventJson.write(StackPushed.of(id, commit, "main", "stacks/" + id)),
                EventJson.write(BuildStarted.of(id, "local-" + RequestIds.newId(), "local")),
                EventJson.write(provisioned),
                EventJson.write(NotificationSent.of(id, "PROVISIONED", provisioned.eventId(), request.requesterEmail())));
    }

    /**
     * The stack's variables as the catalog maps them for the request's product (what the
     * provisioner writes too), keys in the module's order, ending with a newline. The benchmark's
     * requests have no time-to-live, so {@code expires_at} is null.
     */
    public static byte[] tfvars(String requestId, InstanceRequest request) {
        Map<String, Object> vars = product(request).terraformVariables(requestId, request, null);
        try {
            return (PRETTY.writeValueAsString(vars) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stack's {@code stack.json}: its product and module, as the provisioner writes it. */
    public static byte[] stackJson(InstanceRequest request) {
        Map<String, Object> stack = new LinkedHashMap<>();
        stack.put("product", product(request).name());
        stack.put("module", product(request).module());
        try {
            return (PRETTY.writeValueAsString(stack) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The catalog entry of the benchmark's requests: the module and the outputs. */
    public static Product product(InstanceRequest request) {
        return ProductCatalog.standard().get(request.product());
    }
}
