package com.oneclick.approval.security;

import com.oneclick.approval.ApprovalProperties;
import com.oneclick.approval.ApprovalProperties.User;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfiguredUsersTest {

    private static final String HASH = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("s3cret-pw");

    @Test
    void plainTextPasswordStopsStartUpNamingTheUserButNotThePassword() {
        // given
        ApprovalProperties properties = ApprovalProperties.ofUsers(List.of(
                new User("alice", HASH, "alice@example.com", List.of("APPROVER")),
                new User("bob", "hunter2-plain", "bob@example.com", List.of("APPROVER"))));

        // when / then
        assertThatThrownBy(() -> ConfiguredUsers.from(properties))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("users[1] (user 'bob')")
                .hasMessageContaining("no {id} prefix")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("alice"));
    }

    @Test
    void plainTextBehindNoopAndBrokenBcryptAreRefused() {
        // given
        ApprovalProperties properties = ApprovalProperties.ofUsers(List.of(
                new User("carol", "{noop}hunter2", null, List.of()),
                new User("dave", "{bcrypt}hunter2", null, List.of())));

        // when / then
        assertThatThrownBy(() -> ConfiguredUsers.from(properties))
                .hasMessageContaining("user 'carol'): the password uses the encoding {noop}")
                .hasMessageContaining("user 'dave'): the password is not a valid bcrypt hash")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void duplicateOrMissingUserNamesAreRefused() {
        // given
        ApprovalProperties properties = ApprovalProperties.ofUsers(List.of(
                new User("alice", HASH, null, List.of()),
                new User("alice", HASH, null, List.of()),
                new User(" ", HASH, null, List.of())));

        // when / then
        assertThatThrownBy(() -> ConfiguredUsers.from(properties))
                .hasMessageContaining("configured twice")
                .hasMessageContaining("users[2].username");
    }

    @Test
    void validUsersBecomeAccountsWithTheirRoles() {
        // given
        ApprovalProperties properties = ApprovalProperties.ofUsers(List.of(
                new User("alice", HASH, "alice@example.com", List.of("approver")),
                new User("victor", HASH, null, List.of())));

        // when
        ConfiguredUsers users = ConfiguredUsers.from(properties);

        // then
        assertThat(users.warnings()).isEmpty();
        assertThat(users.userDetailsManager().loadUserByUsername("alice").getAuthorities())
                .extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_APPROVER");
        assertThat(users.userDetailsManager().loadUserByUsername("victor").getAuthorities()).isEmpty();
        assertThat(users.approver("alice").email()).isEqualTo("alice@example.com");
    }

    @Test
    void approverWithoutEmailOrNoUserAtAllIsWarnedAbout() {
        // when
        ConfiguredUsers noEmail = ConfiguredUsers.from(ApprovalProperties.ofUsers(List.of(
                new User("alice", HASH, null, List.of("APPROVER")))));
        ConfiguredUsers nobody = ConfiguredUsers.from(ApprovalProperties.ofUsers(null));

        // then
        assertThat(noEmail.warnings()).singleElement().asString().contains("user 'alice'", "no email");
        assertThat(nobody.warnings()).singleElement().asString().contains("no users are configured");
    }

    @Test
    void userToStringHidesThePassword() {
        assertThat(new User("alice", HASH, null, List.of()).toString()).doesNotContain(HASH).contains("<hidden>");
    }
}
