package com.oneclick.model;

import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static com.oneclick.model.Fixtures.validRequest;
import static org.assertj.core.api.Assertions.assertThat;

class RequestValidatorTest {

    @Test
    void acceptsAValidRequest() {
        assertThat(RequestValidator.validate(validRequest())).isEmpty();
    }

    @Test
    void reportsEveryMissingFieldOnce() {
        InstanceRequest empty = new InstanceRequest(null, null, null, null, null, null, null, null, null, null, null);

        List<FieldViolation> errors = RequestValidator.validate(empty);

        assertThat(errors).extracting(FieldViolation::field).containsExactly("name", "requesterEmail", "region",
                "vpcId", "subnetId", "instanceType", "amiId", "keyName", "rootVolumeGiB");
        assertThat(errors).extracting(FieldViolation::message).containsOnly("is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vpc-0a1b2c3d", "vpc-0a1b2c3d4e5f67890"})
    void acceptsShortAndLongVpcIds(String vpcId) {
        assertThat(errorsFor(with(validRequest(), "vpcId", vpcId))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vpc-0a1b2c3", "vpc-0A1B2C3D", "vpc-0a1b2c3d4e5f6789", "subnet-0a1b2c3d", "vpc 0a1b2c3d"})
    void refusesMalformedVpcIds(String vpcId) {
        assertThat(errorsFor(with(validRequest(), "vpcId", vpcId))).containsExactly("vpcId");
    }

    @Test
    void refusesIdsOfTheWrongKindInEachIdField() {
        InstanceRequest r = validRequest();
        InstanceRequest wrong = new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(),
                "vpc-0a1b2c3d", r.instanceType(), "sg-0a1b2c3d", r.keyName(), r.rootVolumeGiB(),
                List.of("subnet-0a1b2c3d"), r.tags());

        assertThat(errorsFor(wrong)).containsExactly("subnetId", "amiId", "securityGroupIds[0]");
    }

    @Test
    void refusesAnInstanceTypeOutsideTheAllowList() {
        List<FieldViolation> errors = RequestValidator.validate(with(validRequest(), "instanceType", "p5.48xlarge"));

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("instanceType");
            assertThat(e.message()).contains("t3.micro");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"-----BEGIN RSA PRIVATE KEY-----", "-----begin openssh private key-----",
            "my PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4"})
    void refusesKeyMaterialWhereAKeyPairNameBelongs(String keyName) {
        List<FieldViolation> errors = RequestValidator.validate(with(validRequest(), "keyName", keyName));

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("keyName");
            assertThat(e.message()).contains("private key").contains("name of an existing EC2 key pair");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev-laptop", "Miiko's key", "team/ci key@2026"})
    void acceptsOrdinaryKeyPairNames(String keyName) {
        assertThat(errorsFor(with(validRequest(), "keyName", keyName))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 2049, -1})
    void refusesRootVolumesOutOfRange(int size) {
        InstanceRequest r = validRequest();
        InstanceRequest sized = new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(), r.subnetId(),
                r.instanceType(), r.amiId(), r.keyName(), size, r.securityGroupIds(), r.tags());

        assertThat(errorsFor(sized)).containsExactly("rootVolumeGiB");
    }

    @Test
    void refusesLineBreaksInTheNameSoNoHeaderOrLogCanBeForged() {
        assertThat(errorsFor(with(validRequest(), "name", "web\r\nBcc: everyone@example.com"))).containsExactly("name");
    }

    @Test
    void keepsMarkupInTheNameForThePagesToEscape() {
        assertThat(errorsFor(with(validRequest(), "name", "<script>alert(1)</script>"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-email", "a@b", "dev@example.com\nBcc: x@example.com", "@example.com"})
    void refusesMalformedEmails(String email) {
        assertThat(errorsFor(with(validRequest(), "requesterEmail", email))).containsExactly("requesterEmail");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EU-WEST-1", "eu-west", "europe", "eu-west-0"})
    void refusesMalformedRegions(String region) {
        assertThat(errorsFor(with(validRequest(), "region", region))).containsExactly("region");
    }

    @Test
    void refusesReservedAndAwsTagKeys() {
        InstanceRequest r = validRequest();
        InstanceRequest tagged = new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(),
                r.subnetId(), r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(), r.securityGroupIds(),
                Map.of("aws:cloudformation", "x", "Name", "y", "cost-centre", "42"));

        assertThat(errorsFor(tagged)).containsExactlyInAnyOrder("tags[aws:cloudformation]", "tags[Name]");
    }

    @Test
    void refusesTheExpiryTagBecauseThePlatformDerivesItFromTheTimeToLive() {
        InstanceRequest r = validRequest();
        InstanceRequest tagged = new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(),
                r.subnetId(), r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(), r.securityGroupIds(),
                Map.of("oneclick:expires-at", "2030-01-01T00:00:00Z"));

        List<FieldViolation> errors = RequestValidator.validate(tagged);

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("tags[oneclick:expires-at]");
            assertThat(e.message()).isEqualTo("the platform sets this tag itself");
        });
    }

    @Test
    void acceptsARequestWithoutATimeToLive() {
        assertThat(validRequest().timeToLiveHours()).isNull();
        assertThat(errorsFor(withTimeToLive(validRequest(), null))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 24, 168, 720, 2160})
    void acceptsATimeToLiveFromOneHourToNinetyDays(int hours) {
        assertThat(errorsFor(withTimeToLive(validRequest(), hours))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 2161, 3000, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void refusesATimeToLiveOutsideOneHourToNinetyDays(int hours) {
        List<FieldViolation> errors = RequestValidator.validate(withTimeToLive(validRequest(), hours));

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("timeToLiveHours");
            assertThat(e.message()).isEqualTo("must be between 1 and 2160 hours (90 days)");
        });
    }

    @Test
    void normalizingKeepsTheTimeToLive() {
        InstanceRequest padded = with(withTimeToLive(validRequest(), 24), "name", " my box ");

        InstanceRequest normalized = padded.normalized();

        assertThat(normalized.timeToLiveHours()).isEqualTo(24);
        assertThat(normalized.name()).isEqualTo("my box");
    }

    @Test
    void theShortConstructorMakesARequestWithoutATimeToLive() {
        InstanceRequest r = withTimeToLive(validRequest(), 24);

        InstanceRequest old = new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(), r.subnetId(),
                r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(), r.securityGroupIds(), r.tags());

        assertThat(old.timeToLiveHours()).isNull();
        assertThat(old).isEqualTo(withTimeToLive(r, null));
    }

    @Test
    void refusesDuplicateAndTooManySecurityGroups() {
        InstanceRequest r = validRequest();
        InstanceRequest twice = new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(), r.subnetId(),
                r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(), List.of("sg-0a1b2c3d", "sg-0a1b2c3d"),
                r.tags());
        InstanceRequest many = new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(), r.subnetId(),
                r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(),
                List.of("sg-00000001", "sg-00000002", "sg-00000003", "sg-00000004", "sg-00000005", "sg-00000006"),
                r.tags());

        assertThat(errorsFor(twice)).containsExactly("securityGroupIds");
        assertThat(errorsFor(many)).containsExactly("securityGroupIds");
    }

    @Test
    void normalizingTrimsTextFieldsButNotTheirContent() {
        InstanceRequest padded = with(with(validRequest(), "vpcId", "  vpc-0a1b2c3d\t"), "name", " my box ");

        InstanceRequest normalized = padded.normalized();

        assertThat(normalized.vpcId()).isEqualTo("vpc-0a1b2c3d");
        assertThat(normalized.name()).isEqualTo("my box");
        assertThat(RequestValidator.validate(normalized)).isEmpty();
    }

    @Test
    void requestIdsAreLowercaseUuidsAndNothingElse() {
        assertThat(RequestIds.isValid(RequestIds.newId())).isTrue();
        assertThat(RequestIds.isValid("../../etc/passwd")).isFalse();
        assertThat(RequestIds.isValid("3F2504E0-4F89-11D3-9A0C-0305E82C3301")).isFalse();
        assertThat(RequestIds.isValid(null)).isFalse();
    }

    private static List<String> errorsFor(InstanceRequest request) {
        return RequestValidator.validate(request).stream().map(FieldViolation::field).toList();
    }

    static InstanceRequest withTimeToLive(InstanceRequest r, Integer hours) {
        return new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(), r.subnetId(),
                r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(), r.securityGroupIds(), r.tags(), hours);
    }

    /** The request with one text field replaced (the time-to-live kept). */
    static InstanceRequest with(InstanceRequest r, String field, String value) {
        return new InstanceRequest(
                field.equals("name") ? value : r.name(),
                field.equals("requesterEmail") ? value : r.requesterEmail(),
                field.equals("region") ? value : r.region(),
                field.equals("vpcId") ? value : r.vpcId(),
                field.equals("subnetId") ? value : r.subnetId(),
                field.equals("instanceType") ? value : r.instanceType(),
                field.equals("amiId") ? value : r.amiId(),
                field.equals("keyName") ? value : r.keyName(),
                r.rootVolumeGiB(), r.securityGroupIds(), r.tags(), r.timeToLiveHours());
    }
}
