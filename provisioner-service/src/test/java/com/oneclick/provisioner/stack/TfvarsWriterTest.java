package com.oneclick.provisioner.stack;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.support.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
    void ec2StacksAreWrittenToTheSameBytesAsBeforeTheCatalogDroveTheVariables() throws Exception {
        // given: EC2 rows of every shape: plain, with a time-to-live, without groups or tags, hostile and non-ASCII
        InstanceRequest base = Fixtures.request("web-1");
        List<InventoryRow> rows = List.of(
                Fixtures.row("web-1"),
                InventoryRow.approved(RequestIds.newId(), new InstanceRequest(base.name(), base.requesterEmail(),
                        base.region(), base.vpcId(), base.subnetId(), base.instanceType(), base.amiId(), base.keyName(),
                        base.rootVolumeGiB(), base.securityGroupIds(), base.tags(), 2160), "alice", Fixtures.T0),
                InventoryRow.approved(RequestIds.newId(), new InstanceRequest(base.name(), base.requesterEmail(),
                        base.region(), base.vpcId(), base.subnetId(), base.instanceType(), base.amiId(), base.keyName(),
                        8, List.of(), Map.of()), "alice", Fixtures.T0),
                Fixtures.row("\"} resource \"x\" { ${file(\"/etc/passwd\")} \u00e9t\u00e9 \u2603"));

        // when / then: the bytes the writer produced before products existed (its code, kept below)
        for (InventoryRow row : rows) {
            assertThat(writer.stackFiles(row).get(TfvarsWriter.FILE_NAME))
                    .as("terraform.tfvars.json of %s", row.request().name())
                    .isEqualTo(tfvarsAsBeforeProducts(row).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void anAuroraStackHoldsItsModulesVariablesWithTypedParameters() {
        // given
        InventoryRow row = InventoryRow.approved("0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
                Fixtures.auroraRequest("orders-db"), "alice", Fixtures.T0);

        // when
        String json = writer.tfvars(row);

        // then: the catalog's variables in its order; the subnets a list, the counts numbers, no password
        assertThat(json).isEqualTo("""
                {
                  "request_id" : "0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
                  "name" : "orders-db",
                  "requester_email" : "dev@example.com",
                  "region" : "eu-west-1",
                  "vpc_id" : "vpc-0a1b2c3d",
                  "subnet_ids" : [ "subnet-0a1b2c3d", "subnet-1a2b3c4d" ],
                  "instance_class" : "db.t4g.medium",
                  "engine_version" : "8.0.mysql_aurora.3.08.0",
                  "instances" : 2,
                  "database_name" : "orders",
                  "master_username" : "admin",
                  "backup_retention_days" : 7,
                  "security_group_ids" : [ "sg-0a1b2c3d" ],
                  "tags" : {
                    "team" : "payments"
                  },
                  "expires_at" : null
                }
                """);
        assertThat(json).doesNotContain("password").doesNotContain("subnet_id\"").doesNotContain("instance_type");
    }

    @Test
    void everyStackNamesItsProductAndModuleInStackJson() {
        // given
        InventoryRow ec2 = Fixtures.row("web-1");
        InventoryRow aurora = Fixtures.auroraRow("orders-db");

        // when
        Map<String, byte[]> ec2Files = writer.stackFiles(ec2);
        Map<String, byte[]> auroraFiles = writer.stackFiles(aurora);

        // then
        assertThat(new String(ec2Files.get(TfvarsWriter.STACK_FILE), StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "product" : "ec2-instance",
                  "module" : "ec2-instance"
                }
                """);
        assertThat(new String(auroraFiles.get(TfvarsWriter.STACK_FILE), StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "product" : "aurora-mysql",
                  "module" : "aurora-mysql"
                }
                """);
        assertThat(auroraFiles).containsOnlyKeys(TfvarsWriter.FILE_NAME, TfvarsWriter.STACK_FILE);
    }

    @Test
    void aRowOfAProductTheCatalogLacksIsRefused() {
        // given
        InstanceRequest base = Fixtures.request("web-1");
        InstanceRequest unknown = new InstanceRequest(base.name(), base.requesterEmail(), base.region(), base.vpcId(),
                base.subnetId(), base.instanceType(), base.amiId(), base.keyName(), base.rootVolumeGiB(),
                base.securityGroupIds(), base.tags(), null, "s3-bucket", Map.of());
        InventoryRow row = InventoryRow.approved(RequestIds.newId(), unknown, "alice", Fixtures.T0);

        // when / then
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.stackFiles(row))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3-bucket");
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
        assertThat(files).containsOnlyKeys(TfvarsWriter.FILE_NAME, TfvarsWriter.STACK_FILE);
        String json = new String(files.get(TfvarsWriter.FILE_NAME), StandardCharsets.UTF_8);
        assertThat(json).contains("\"name\" : \"\\\"} resource \\\"x\\\" {");
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertThat(parsed.get("name").asText()).isEqualTo(hostile);
        assertThat(parsed.size()).isEqualTo(13);
    }

    /** The writer's code before the catalog drove the variables (EC2 only), to compare bytes with. */
    private static String tfvarsAsBeforeProducts(InventoryRow row) throws Exception {
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
        vars.put("expires_at", TfvarsWriter.expiresAt(row));
        return new ObjectMapper().writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")))
                .writeValueAsString(vars) + "\n";
    }
}
