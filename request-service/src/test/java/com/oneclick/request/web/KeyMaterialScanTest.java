package com.oneclick.request.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.validation.FieldViolation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyMaterialScanTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void findsKeyMaterialInAnyFieldAlsoOnesTheRequestDoesNotHave() throws Exception {
        // given
        String body = """
                {"name": "agent", "keyName": "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3Bl\\n",
                 "tags": {"note": "-----BEGIN RSA PRIVATE KEY-----"},
                 "parameters": {"databaseName": "-----BEGIN PRIVATE KEY-----"},
                 "securityGroupIds": ["sg-0a1b2c3d", "PRIVATE KEY"],
                 "extra": {"pem": "-----BEGIN EC PRIVATE KEY-----"}}
                """;

        // when
        var found = KeyMaterialScan.scan(json.readTree(body));

        // then
        assertThat(found).extracting(FieldViolation::field)
                .containsExactly("keyName", "tags[note]", "parameters[databaseName]", "securityGroupIds[1]",
                        "extra.pem");
    }

    @Test
    void ordinaryRequestHasNoFinding() throws Exception {
        // given
        String body = """
                {"name": "agent", "keyName": "dev-laptop", "tags": {"team": "payments"}, "rootVolumeGiB": 20}
                """;

        // when / then
        assertThat(KeyMaterialScan.scan(json.readTree(body))).isEmpty();
    }
}
