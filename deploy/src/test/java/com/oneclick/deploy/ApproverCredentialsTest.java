package com.oneclick.deploy;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApproverCredentialsTest {

    @Test
    void approvalServiceGetsOnlyABcryptHashOfThePassword() {
        // given a password from the environment
        ApproverCredentials approver = ApproverCredentials.from(Map.of(
                ApproverCredentials.USER, "alice", ApproverCredentials.PASSWORD, "correct horse battery"));

        // when
        Map<String, String> env = approver.approvalServiceEnv();

        // then
        String hash = env.get("ONECLICK_APPROVAL_USERS_0_PASSWORD");
        assertThat(hash).startsWith("{bcrypt}$2a$10$");
        assertThat(BCrypt.checkpw("correct horse battery", hash.substring("{bcrypt}".length()))).isTrue();
        assertThat(env.values()).noneMatch(v -> v.contains("correct horse battery"));
        assertThat(env).containsEntry("ONECLICK_APPROVAL_USERS_0_USERNAME", "alice")
                .containsEntry("ONECLICK_APPROVAL_USERS_0_EMAIL", "approver@oneclick.local")
                .containsEntry("ONECLICK_APPROVAL_USERS_0_ROLES_0", "APPROVER");
        assertThat(approver.toString()).doesNotContain("correct horse battery");
    }

    @Test
    void passwordIsGeneratedWhenNoneIsSet() {
        // when
        ApproverCredentials first = ApproverCredentials.from(Map.of());
        ApproverCredentials second = ApproverCredentials.from(Map.of());

        // then
        assertThat(first.generated()).isTrue();
        assertThat(first.username()).isEqualTo("approver");
        assertThat(first.password()).hasSize(20).isNotEqualTo(second.password());
    }

    @Test
    void shortPasswordIsRefused() {
        assertThatThrownBy(() -> ApproverCredentials.from(Map.of(ApproverCredentials.PASSWORD, "short")))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("at least 8 characters");
    }
}
