package com.oneclick.model;

import com.oneclick.model.catalog.LabelledValue;
import com.oneclick.model.catalog.Parameter;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.oneclick.model.Fixtures.validAuroraRequest;
import static com.oneclick.model.Fixtures.validRequest;
import static org.assertj.core.api.Assertions.assertThat;

class ProductCatalogTest {

    private static final ProductCatalog CATALOG = ProductCatalog.standard();

    @Test
    void offersAnEc2InstanceAndAnAuroraMysqlClusterEachWithItsModule() {
        assertThat(CATALOG.names()).containsExactly("ec2-instance", "aurora-mysql");
        assertThat(CATALOG.get("ec2-instance").module()).isEqualTo("ec2-instance");
        assertThat(CATALOG.get("aurora-mysql").module()).isEqualTo("aurora-mysql");
        assertThat(CATALOG.get("aurora-mysql").idOutput().name()).isEqualTo("cluster_identifier");
        assertThat(CATALOG.get("ec2-instance").nameOutput().name()).isEqualTo("instance_name");
    }

    @Test
    void everyDefaultValueMeetsItsOwnRule() {
        for (Product product : CATALOG.products()) {
            for (Parameter parameter : product.parameters()) {
                if (parameter.defaultValue() != null) {
                    assertThat(parameter.check(parameter.defaultValue())).as(product.name() + "." + parameter.name())
                            .isEmpty();
                }
            }
        }
    }

    @Test
    void mapsAnEc2RequestToTheVariablesTheModuleHadBeforeTheCatalog() {
        Map<String, Object> vars = CATALOG.get("ec2-instance").terraformVariables("id-1", validRequest(), null);

        assertThat(vars.keySet()).containsExactly("request_id", "name", "requester_email", "region", "vpc_id",
                "subnet_id", "instance_type", "ami_id", "key_name", "root_volume_gib", "security_group_ids", "tags",
                "expires_at");
        assertThat(vars).containsEntry("root_volume_gib", 20).containsEntry("security_group_ids", List.of("sg-0a1b2c3d"))
                .containsEntry("expires_at", null);
    }

    @Test
    void mapsAnAuroraRequestsParametersToTypedVariables() {
        Map<String, Object> vars = CATALOG.get("aurora-mysql").terraformVariables("id-2", validAuroraRequest(),
                "2026-12-01T00:00:00Z");

        assertThat(vars).containsEntry("subnet_ids", List.of("subnet-0a1b2c3d", "subnet-1a2b3c4d"))
                .containsEntry("instances", 2).containsEntry("backup_retention_days", 7)
                .containsEntry("instance_class", "db.t4g.medium").containsEntry("database_name", "orders")
                .containsEntry("expires_at", "2026-12-01T00:00:00Z").containsEntry("request_id", "id-2");
        assertThat(vars).doesNotContainKeys("subnet_id", "ami_id", "key_name");
    }

    @Test
    void acceptsAValidAuroraRequest() {
        assertThat(RequestValidator.validate(validAuroraRequest())).isEmpty();
    }

    @Test
    void refusesAnUnknownProductByNamingTheCatalogsProducts() {
        InstanceRequest r = validRequest();
        InstanceRequest unknown = new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(),
                r.subnetId(), r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(), r.securityGroupIds(),
                r.tags(), null, "s3-bucket", Map.of());

        assertThat(RequestValidator.validate(unknown)).extracting(FieldViolation::field, FieldViolation::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("product",
                        "must be one of the catalog's products: ec2-instance, aurora-mysql"));
    }

    @Test
    void refusesEc2FieldsOnAnAuroraRequestAndParametersOnAnEc2Request() {
        InstanceRequest a = validAuroraRequest();
        InstanceRequest auroraWithKey = new InstanceRequest(a.name(), a.requesterEmail(), a.region(), a.vpcId(),
                null, "t3.micro", null, "dev-laptop", null, a.securityGroupIds(), a.tags(), null, a.product(),
                a.parameters());
        InstanceRequest r = validRequest();
        InstanceRequest ec2WithParameter = new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(),
                r.subnetId(), r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(), r.securityGroupIds(),
                r.tags(), null, r.product(), Map.of("databaseName", "orders"));

        assertThat(RequestValidator.validate(auroraWithKey)).extracting(FieldViolation::field)
                .containsExactly("instanceType", "keyName");
        assertThat(RequestValidator.validate(auroraWithKey).get(0).message())
                .isEqualTo("is not used by the Aurora MySQL cluster product; leave it out");
        assertThat(RequestValidator.validate(ec2WithParameter)).extracting(FieldViolation::field)
                .containsExactly("parameters[databaseName]");
    }

    @Test
    void reportsEveryMissingAuroraParameterOnce() {
        InstanceRequest empty = InstanceRequest.forProduct("aurora-mysql", "db", "dev@example.com", "eu-west-1",
                "vpc-0a1b2c3d", List.of(), Map.of(), null, Map.of());

        assertThat(RequestValidator.validate(empty)).extracting(FieldViolation::field).containsExactly(
                "parameters[subnetIds]", "parameters[instanceClass]", "parameters[engineVersion]",
                "parameters[instances]", "parameters[databaseName]", "parameters[masterUsername]",
                "parameters[backupRetentionDays]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"subnet-0a1b2c3d", "subnet-0a1b2c3d,subnet-0a1b2c3d", "subnet-0a1b2c3d,sg-0a1b2c3d",
            "subnet-1,subnet-2", "a,b,c,d,e,f,g"})
    void refusesSubnetListsThatCannotFormASubnetGroup(String subnets) {
        assertThat(errorsFor("subnetIds", subnets)).singleElement()
                .extracting(FieldViolation::field).isEqualTo("parameters[subnetIds]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "4", "two", "1.5", "99999999999"})
    void refusesInstanceCountsOutsideOneToThree(String instances) {
        assertThat(errorsFor("instances", instances)).extracting(FieldViolation::message)
                .containsExactly("must be a whole number from 1 to 3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1orders", "orders-db", "orders;drop", "a\nb", "x12345678901234567890123456789012345678901234567890123456789012345"})
    void refusesDatabaseNamesMysqlWouldRefuse(String name) {
        assertThat(errorsFor("databaseName", name)).isNotEmpty();
    }

    @Test
    void refusesKeyMaterialInAnyParameterWithoutEchoingIt() {
        List<FieldViolation> errors = errorsFor("masterUsername", "-----BEGIN RSA PRIVATE KEY-----");

        assertThat(errors).singleElement().extracting(FieldViolation::message).asString()
                .startsWith("looks like a private key").doesNotContain("BEGIN");
    }

    @Test
    void refusesAParameterTheProductDoesNotHaveAndNamesTheOnesItHas() {
        List<FieldViolation> errors = errorsFor("masterPassword", "hunter2");

        assertThat(errors).singleElement().extracting(FieldViolation::message).asString()
                .contains("is not a parameter of the Aurora MySQL cluster product").contains("masterUsername");
    }

    @Test
    void normalizingWritesAListOneWay() {
        InstanceRequest spaced = withParameter("subnetIds", " subnet-0a1b2c3d ,  subnet-1a2b3c4d ,");

        assertThat(spaced.normalized().parameters()).containsEntry("subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d");
        assertThat(RequestValidator.validate(spaced.normalized())).isEmpty();
    }

    @Test
    void labelsParametersAndOutputsInTheCatalogsOrderAndKeepsUnlistedOnesUnderTheirNames() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("extra", "x");
        parameters.put("databaseName", "orders");
        parameters.put("subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d");
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("port", "3306");
        outputs.put("cluster_identifier", "oneclick-1");

        List<LabelledValue> labelledParameters = com.oneclick.model.catalog.LabelledValue
                .parameters(CATALOG.find("aurora-mysql"), parameters);
        List<LabelledValue> labelledOutputs = com.oneclick.model.catalog.LabelledValue
                .outputs(CATALOG.find("aurora-mysql"), outputs);
        List<LabelledValue> unknownProduct = com.oneclick.model.catalog.LabelledValue
                .outputs(java.util.Optional.empty(), outputs);

        assertThat(labelledParameters).containsExactly(
                new LabelledValue("subnetIds", "Subnets", "subnet-0a1b2c3d, subnet-1a2b3c4d", true),
                new LabelledValue("databaseName", "Database name", "orders", true),
                new LabelledValue("extra", "extra", "x", false));
        assertThat(labelledOutputs).extracting(LabelledValue::label)
                .containsExactly("Cluster", "Port");
        assertThat(unknownProduct).extracting(LabelledValue::label)
                .containsExactly("port", "cluster_identifier");
    }

    private static List<FieldViolation> errorsFor(String parameter, String value) {
        return RequestValidator.validate(withParameter(parameter, value));
    }

    private static InstanceRequest withParameter(String parameter, String value) {
        InstanceRequest a = validAuroraRequest();
        Map<String, String> parameters = new LinkedHashMap<>(a.parameters());
        parameters.put(parameter, value);
        return InstanceRequest.forProduct(a.product(), a.name(), a.requesterEmail(), a.region(), a.vpcId(),
                a.securityGroupIds(), a.tags(), null, parameters);
    }
}
