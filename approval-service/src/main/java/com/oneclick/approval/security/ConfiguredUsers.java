package com.oneclick.approval.security;

import com.oneclick.approval.ApprovalProperties;
import com.oneclick.approval.queue.Approver;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The users from {@code oneclick.approval.users}, checked once at start-up. A configuration that
 * cannot work (a plain-text or unsupported password, a missing or duplicate user name) stops the
 * service with a message that names the user and the problem, never the password.
 */
public final class ConfiguredUsers {

    public static final String APPROVER_ROLE = "APPROVER";

    /** Encoders of the DelegatingPasswordEncoder that are real hashes and need no extra library. */
    static final Set<String> ACCEPTED_ENCODINGS = Set.of("bcrypt", "pbkdf2", "pbkdf2@SpringSecurity_v5_8");

    private static final Pattern ENCODED = Pattern.compile("^\\{([^{}]*)}(.+)$", Pattern.DOTALL);
    private static final Pattern BCRYPT = Pattern.compile("^\\$2[aby]?\\$\\d\\d\\$[./0-9A-Za-z]{53}$");
    private static final Pattern USERNAME = Pattern.compile("^[\\x21-\\x39\\x3B-\\x7E]{1,64}$");

    private final Map<String, ApprovalProperties.User> users;
    private final List<String> warnings;

    private ConfiguredUsers(Map<String, ApprovalProperties.User> users, List<String> warnings) {
        this.users = users;
        this.warnings = warnings;
    }

    /**
     * Checks the configuration.
     *
     * @throws IllegalStateException listing every problem, when a user cannot work as configured
     */
    public static ConfiguredUsers from(ApprovalProperties properties) {
        Map<String, ApprovalProperties.User> users = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<ApprovalProperties.User> configured = properties.users();
        for (int i = 0; i < configured.size(); i++) {
            ApprovalProperties.User user = configured.get(i);
            String index = "oneclick.approval.users[" + i + "]";
            if (user == null) {
                continue;
            }
            String username = user.username() == null ? null : user.username().strip();
            if (username == null || !USERNAME.matcher(username).matches()) {
                problems.add(index + ".username must be 1 to 64 printable characters without spaces or ':'");
                continue;
            }
            String where = index + " (user '" + username + "')";
            if (users.containsKey(username)) {
                problems.add(where + ": the user name is configured twice");
            }
            passwordProblem(user.password()).ifPresent(p -> problems.add(where + ": the password " + p));
            List<String> roles = roles(user.roles());
            if (roles.stream().anyMatch(String::isEmpty)) {
                problems.add(where + ": roles has a blank role");
            }
            String email = user.email() == null || user.email().isBlank() ? null : user.email().strip();
            if (email != null && !email.contains("@")) {
                problems.add(where + ": email is not an email address");
            }
            if (email == null && roles.contains(APPROVER_ROLE)) {
                warnings.add(where + " has the approver role but no email: their own requests cannot be "
                        + "recognised, so their approvals are refused (rejecting works)");
            }
            users.put(username, new ApprovalProperties.User(username, user.password(), email, roles));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The approval users are misconfigured (the password values are not "
                    + "shown):\n - " + String.join("\n - ", problems) + "\nA password must be a hash such as "
                    + "{bcrypt}$2a$10$... (see approval-service/README.md, 'Users and password hashes').");
        }
        if (users.isEmpty()) {
            warnings.add("no users are configured (oneclick.approval.users / ONECLICK_APPROVAL_USERS_0_*): "
                    + "every API call will be answered 401");
        }
        return new ConfiguredUsers(users, warnings);
    }

    /** What the operator should know but that does not stop the service. */
    public List<String> warnings() {
        return warnings;
    }

    public InMemoryUserDetailsManager userDetailsManager() {
        List<UserDetails> details = users.values().stream()
                .map(u -> User.withUsername(u.username()).password(u.password())
                        .roles(u.roles().toArray(String[]::new)).build())
                .map(UserDetails.class::cast)
                .toList();
        return new InMemoryUserDetailsManager(details);
    }

    /** User name → email of every user with the approver role who has an email, in configuration order. */
    public Map<String, String> approverEmails() {
        Map<String, String> emails = new LinkedHashMap<>();
        users.values().stream().filter(u -> u.roles().contains(APPROVER_ROLE) && u.email() != null)
                .forEach(u -> emails.put(u.username(), u.email()));
        return emails;
    }

    /** The approver behind an authenticated user name. */
    public Approver approver(String username) {
        ApprovalProperties.User user = users.get(username);
        return new Approver(username, user == null ? null : user.email());
    }

    private static List<String> roles(List<String> configured) {
        return configured.stream()
                .map(role -> role == null ? "" : role.strip().toUpperCase(Locale.ROOT))
                .map(role -> role.startsWith("ROLE_") ? role.substring("ROLE_".length()) : role)
                .distinct()
                .toList();
    }

    private static Optional<String> passwordProblem(String password) {
        if (password == null || password.isBlank()) {
            return Optional.of("is missing");
        }
        Matcher encoded = ENCODED.matcher(password);
        if (!encoded.matches()) {
            return Optional.of("is not an encoded password hash: it has no {id} prefix such as {bcrypt}");
        }
        String id = encoded.group(1);
        if (!ACCEPTED_ENCODINGS.contains(id)) {
            return Optional.of("uses the encoding {" + (id.length() <= 32 ? id : id.substring(0, 32) + "...")
                    + "}, which is not accepted; use one of " + ACCEPTED_ENCODINGS.stream().sorted()
                    .map(a -> "{" + a + "}").toList());
        }
        if ("bcrypt".equals(id) && !BCRYPT.matcher(encoded.group(2)).matches()) {
            return Optional.of("is not a valid bcrypt hash after {bcrypt} (expected $2a$<cost>$ and 53 characters)");
        }
        return Optional.empty();
    }
}
