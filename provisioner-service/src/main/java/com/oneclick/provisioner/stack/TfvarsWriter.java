package com.oneclick.provisioner.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.provisioner.inventory.InventoryRow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row as {@code terraform.tfvars.json}: the variables of the EC2 modules ({@code terraform/local}
 * and the AWS one share them). JSON written by Jackson, never HCL, so no user string can become
 * Terraform code: a name like {@code "} resource "x" {} is a JSON string like any other.
 *
 * <p>{@code expires_at} is the row's {@code createdAt} (when the provisioner recorded the approval)
 * plus the request's time-to-live, RFC 3339 UTC to the second, or JSON {@code null} without a
 * time-to-live. It derives only from the row, so writing a row again gives the same bytes and a
 * re-push makes no new commit. OneClick destroys nothing: the modules tag the instance with it
 * ({@code oneclick:expires-at}) for the platform's clean-up.
 */
public final class TfvarsWriter implements StackWriter {

    public static final String FILE_NAME = "terraform.tfvars.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectWriter WRITER = MAPPER.writer(
            new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    @Override
    public Map<String, byte[]> stackFiles(InventoryRow row) {
        return Map.of(FILE_NAME, tfvars(row).getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON document, keys in the modules' variable order, ending with a newline. */
    public String tfvars(InventoryRow row) {
        InstanceRequest request = row.request();
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("request_id", row.requestId());
        vars.put("name", request.name());
        vars.put("requester_email", request.requesterEmail());
        vars.put("region", request.region());
        vars.put("vpc_id", request.vpcId());
        vars.put("subnet_id", request.subnetId());
        vars.put("instance_type", request.instanceType());
        vars.put("ami_id", request.amiId());
        vars.put("key_name", request.keyName());
        vars.put("root_volume_gib", request.rootVolumeGiB());
        vars.put("security_group_ids", request.securityGroupIds());
        vars.put("tags", request.tags());
        vars.put("expires_at", expiresAt(row));
        try {
            return WRITER.writeValueAsString(vars) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write terraform.tfvars.json", e);
        }
    }

    /** When the instance expires, {@code 2026-01-12T10:05:00Z}; null when the request has no time-to-live. */
    public static String expiresAt(InventoryRow row) {
        Instant expires = row.expiresAt();
        // ISO-8601 in UTC with a Z: an RFC 3339 timestamp, no fraction once truncated to the second
        return expires == null ? null : expires.toString();
    }
}
