package com.oneclick.deploy.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.oneclick.model.InstanceRequest;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Existing inventory rows in the provisioner's CSV layout ({@code inventory.csv}, pinned by the
 * provisioner's CsvInventoryTest and described in its README): a quoted header, then one row per
 * request with every value quoted, an empty unquoted cell for no value, {@code "} doubled, a
 * leading apostrophe on a value a spreadsheet would run as a formula, records ended by {@code \n}.
 * Seeded rows are {@code PROVISIONED} with their outcome published, so the provisioner leaves them
 * alone.
 */
public final class SeedInventoryCsv {

    /** The provisioner's columns, in file order (SeedInventoryCsvTest keeps them equal to CsvInventory's). */
    public static final List<String> COLUMNS = List.of("requestId", "status", "name", "requesterEmail", "region",
            "vpcId", "subnetId", "instanceType", "amiId", "keyName", "rootVolumeGiB", "securityGroupIds", "tags",
            "timeToLiveHours", "approvedBy", "commitId", "buildId", "instanceId", "instanceName", "privateIp",
            "availabilityZone", "failureReason", "failurePhase", "createdAt", "updatedAt", "outcomePublishedAt",
            "product", "parameters", "outputs");

    private static final String NEUTRALISE = "=+-@\t\r'";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One seeded row: a provisioned request committed in {@code commitId}. */
    public record Row(String requestId, InstanceRequest request, String commitId, int n, Instant at) {

        String[] cells() {
            String instanceId = "i-" + String.format("%017x", (long) n);
            String privateIp = "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + ((n & 255) % 254 + 1);
            String zone = request.region() + "a";
            Map<String, String> outputs = new LinkedHashMap<>();
            outputs.put("instance_id", instanceId);
            outputs.put("instance_name", request.name());
            outputs.put("private_ip", privateIp);
            outputs.put("availability_zone", zone);
            return new String[]{requestId, "PROVISIONED", request.name(), request.requesterEmail(), request.region(),
                    request.vpcId(), request.subnetId(), request.instanceType(), request.amiId(), request.keyName(),
                    request.rootVolumeGiB() == null ? null : request.rootVolumeGiB().toString(),
                    String.join(" ", request.securityGroupIds()), json(request.tags()),
                    request.timeToLiveHours() == null ? null : request.timeToLiveHours().toString(), "bench-seed",
                    commitId, "seed-" + n, instanceId, request.name(), privateIp, zone, null, null, at.toString(),
                    at.toString(), at.toString(), request.product(), json(request.parameters()), json(outputs)};
        }
    }

    private SeedInventoryCsv() {
    }

    public static void writeHeader(Writer out) throws IOException {
        writeRecord(out, COLUMNS.toArray(String[]::new));
    }

    public static void writeRow(Writer out, Row row) throws IOException {
        writeRecord(out, row.cells());
    }

    static void writeRecord(Writer out, String[] cells) throws IOException {
        List<String> encoded = new ArrayList<>(cells.length);
        for (String cell : cells) {
            encoded.add(cell(cell));
        }
        out.write(String.join(",", encoded));
        out.write('\n');
    }

    /** One cell: empty and unquoted for no value, otherwise neutralised and quoted. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String neutral = !value.isEmpty() && NEUTRALISE.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + neutral.replace("\"", "\"\"") + "\"";
    }

    private static String json(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
