package com.oneclick.approval;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * {@code oneclick.approval.*}: the people who may sign in. There is no default user; the launcher
 * or the environment configures them, e.g. {@code ONECLICK_APPROVAL_USERS_0_USERNAME},
 * {@code ..._0_PASSWORD} (a DelegatingPasswordEncoder hash such as {@code {bcrypt}$2a$10$...}),
 * {@code ..._0_EMAIL}, {@code ..._0_ROLES_0=APPROVER}.
 */
@ConfigurationProperties("oneclick.approval")
public record ApprovalProperties(List<User> users) {

    public ApprovalProperties {
        users = users == null ? List.of() : List.copyOf(users);
    }

    /**
     * One configured user.
     *
     * @param password an encoded password hash, never a plain password; never logged
     * @param email    used to recognise the user's own requests (nobody approves their own)
     * @param roles    e.g. {@code APPROVER}; without it the user may only read the queue
     */
    public record User(String username, String password, String email, List<String> roles) {

        public User {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        @Override
        public String toString() {
            return "User[username=" + username + ", password=<hidden>, email=" + email + ", roles=" + roles + "]";
        }
    }
}
