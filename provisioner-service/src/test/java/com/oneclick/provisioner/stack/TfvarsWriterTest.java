package com.oneclick.provisioner.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.support.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TfvarsWriterTest {

    private final TfvarsWriter writer = new TfvarsWriter();

    @Test
    void writesTheModuleVariablesWithTheirTypes() {
        // given
        InventoryRow row = InventoryRow.approved("0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", Fixtures.request("web-1"),
                "alice", Fixtures.T0);

        // when
        String json = writer.tfvars(row);

        // then
        assertThat(json).isEqualTo("""
                {
                  "request_id" : "0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
                  "name" : "web-1",
                  "requester_email" : "dev@example.com",
                  "region" : "eu-west-1",
                  "vpc_id" : "vpc-0a1b2c3d",
                  "subnet_id" : "subnet-0a1b2c3d",
                  "instance_type" : "t3.micro",
                  "ami_id" : "ami-0a1b2c3d4e5f67890",
                  "key_name" : "my-key",
                  "root_volume_gib" : 20,
                  "security_group_ids" : [ "sg-0a1b2c3d", "sg-11112222" ],
                  "tags" : {
                    "team" : "platform",
                    "cost-center" : "42"
                  },
                  "expires_at" : null
                }
                """);
    }

    @Test
    void theExpiryIsTheRecordedApprovalPlusTheTimeToLiveInUtcToTheSecond() throws Exception {
        // given: recorded at 2025-01-02T03:04:05.123456Z, one week to live
        InstanceRequest base = Fixtures.request("web-1");
        InstanceRequest week = new InstanceRequest(base.name(), base.requesterEmail(), base.region(), base.vpcId(),
                base.subnetId(), base.instanceType(), base.amiId(), base.keyName(), base.rootVolumeGiB(),
                base.securityGroupIds(), base.tags(), 168);
        InventoryRow row = InventoryRow.approved("0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", week, "alice", Fixtures.T0);

        // when
        String json = writer.tfvars(row);

        // then
        assertThat(new ObjectMapper().readTree(json).get("expires_at").asText()).isEqualTo("2025-01-09T03:04:05Z");
        assertThat(json).endsWith("  \"expires_at\" : \"2025-01-09T03:04:05Z\"\n}\n");
    }

    @Test
    void theSameRowIsWrittenToTheSameBytesLaterSoARepushCommitsNothing() {
        // given: a row with a time-to-live, and the same row as it is reloaded after steps moved on
        InstanceRequest base = Fixtures.request("web-1");
        InstanceRequest day = new InstanceRequest(base.name(), base.requesterEmail(), base.region(), base.vpcId(),
                base.subnetId(), base.instanceType(), base.amiId(), base.keyName(), base.rootVolumeGiB(),
                base.securityGroupIds(), base.tags(), 24);
        InventoryRow approved = InventoryRow.approved("0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", day, "alice", Fixtures.T0);
        InventoryRow pushed = approved.pushed("0123456789abcdef0123456789abcdef01234567", Fixtures.T0.plusSeconds(90));

        // when
        byte[] first = writer.stackFiles(approved).get(TfvarsWriter.FILE_NAME);
        byte[] again = writer.stackFiles(pushed).get(TfvarsWriter.FILE_NAME);

        // then
        assertThat(again).isEqualTo(first);
        assertThat(TfvarsWriter.expiresAt(pushed)).isEqualTo("2025-01-03T03:04:05Z");
    }

    @Test
    void emptyListsAndMapsStayJsonArraysAndObjects() throws Exception {
        // given
        InstanceRequest base = Fixtures.request("web-1");
        InstanceRequest bare = new InstanceRequest(base.name(), base.requesterEmail(), base.region(), base.vpcId(),
                base.subnetId(), base.instanceType(), base.amiId(), base.keyName(), 8, List.of(), Map.of());
        InventoryRow row = InventoryRow.approved("0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", bare, "alice", Fixtures.T0);

        // when
        JsonNode json = new ObjectMapper().readTree(writer.tfvars(row));

        // then
        assertThat(json.get("security_group_ids").isArray()).isTrue();
        assertThat(json.get("security_group_ids")).isEmpty();
        assertThat(json.get("tags").isObject()).isTrue();
        assertThat(json.get("root_volume_gib").isInt()).isTrue();
    }

    @Test
    void aHostileNameIsAPlainJsonString() throws Exception {
        // given
        String hostile = "\"} resource \"x\" { ${file(\"/etc/passwd\")} %{ if true }";
        InventoryRow row = Fixtures.row(hostile);

        // when
        Map<String, byte[]> files = writer.stackFiles(row);

        // then
        assertThat(files).containsOnlyKeys(TfvarsWriter.FILE_NAME);
        String json = new String(files.get(TfvarsWriter.FILE_NAME), StandardCharsets.UTF_8);
        assertThat(json).contains("\"name\" : \"\\\"} resource \\\"x\\\" {");
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertThat(parsed.get("name").asText()).isEqualTo(hostile);
        assertThat(parsed.size()).isEqualTo(13);
    }
}
