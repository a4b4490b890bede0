package com.oneclick.request.web;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.validation.RequestValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The form's HTML patterns agree with the shared rules: they never block what the rules accept. */
class ClientHintsTest {

    @ParameterizedTest
    @CsvSource({
            "region, eu-west-1", "region, us-gov-west-1", "region, eu-west-0", "region, EU-WEST-1", "region, eu-west",
            "vpcId, vpc-0a1b2c3d", "vpcId, vpc-0a1b2c3d4e5f67890", "vpcId, vpc-0a1b2c3", "vpcId, vpc-0A1B2C3D",
            "vpcId, vpc-0a1b2c3d4e", "subnetId, subnet-0a1b2c3d", "subnetId, subnet-0a1b2c3d4e5f67890",
            "subnetId, subnet-123", "subnetId, sub-0a1b2c3d", "amiId, ami-0123456789abcdef0", "amiId, ami-0a1b2c3d",
            "amiId, ami-xyz",
    })
    void patternAcceptsExactlyWhatTheRulesAccept(String field, String value) {
        // given
        String pattern = switch (field) {
            case "region" -> ClientHints.FORM.region();
            case "vpcId" -> ClientHints.FORM.vpcId();
            case "subnetId" -> ClientHints.FORM.subnetId();
            default -> ClientHints.FORM.amiId();
        };

        // when
        boolean browserAccepts = Pattern.matches(pattern, value);
        boolean rulesAccept = RequestValidator.validate(request(field, value)).stream()
                .noneMatch(violation -> violation.field().equals(field));

        // then
        assertThat(browserAccepts).isEqualTo(rulesAccept);
    }

    private static InstanceRequest request(String field, String value) {
        return new InstanceRequest("n", "dev@example.com",
                field.equals("region") ? value : "eu-west-1",
                field.equals("vpcId") ? value : "vpc-0a1b2c3d",
                field.equals("subnetId") ? value : "subnet-0a1b2c3d",
                "t3.micro",
                field.equals("amiId") ? value : "ami-0a1b2c3d",
                "key", 20, List.of(), Map.of());
    }
}
