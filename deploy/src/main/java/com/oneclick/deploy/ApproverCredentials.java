package com.oneclick.deploy;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local approver. The password comes from the environment or is generated at start; the
 * approval service only ever sees its BCrypt hash, in DelegatingPasswordEncoder form
 * ({@code {bcrypt}$2a$10$...}). The plain password is shown on the terminal and nowhere else.
 */
public final class ApproverCredentials {

    public static final String USER = "ONECLICK_APPROVER_USER";
    public static final String PASSWORD = "ONECLICK_APPROVER_PASSWORD";
    public static final String EMAIL = "ONECLICK_APPROVER_EMAIL";

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(10);

    private final String username;
    private final String password;
    private final String email;
    private final boolean generated;

    public ApproverCredentials(String username, String password, String email, boolean generated) {
        this.username = username;
        this.password = password;
        this.email = email;
        this.generated = generated;
    }

    public static ApproverCredentials from(Map<String, String> env) {
        String username = env.getOrDefault(USER, "").strip();
        String password = env.getOrDefault(PASSWORD, "");
        String email = env.getOrDefault(EMAIL, "").strip();
        if (username.isEmpty()) {
            username = "approver";
        }
        if (email.isEmpty()) {
            email = "approver@oneclick.local";
        }
        if (!username.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new StartupException(USER + " must be 1 to 64 letters, digits or . _ @ -");
        }
        if (password.isEmpty()) {
            return new ApproverCredentials(username, randomPassword(20), email, true);
        }
        if (password.length() < 8) {
            throw new StartupException(PASSWORD + " must be at least 8 characters");
        }
        return new ApproverCredentials(username, password, email, false);
    }

    public static String randomPassword(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** {@code {bcrypt}$2a$10$...}: what Spring Security's DelegatingPasswordEncoder reads. */
    public static String bcryptHash(String password) {
        return "{bcrypt}" + BCRYPT.encode(password);
    }

    /** The approval service's user 0 (hash only, never the password), as environment variables. */
    public Map<String, String> approvalServiceEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ONECLICK_APPROVAL_USERS_0_USERNAME", username);
        env.put("ONECLICK_APPROVAL_USERS_0_PASSWORD", bcryptHash(password));
        env.put("ONECLICK_APPROVAL_USERS_0_EMAIL", email);
        env.put("ONECLICK_APPROVAL_USERS_0_ROLES_0", "APPROVER");
        return env;
    }

    public String username() {
        return username;
    }

    /** The plain password: for the terminal and for an HTTP client, never for a file or a log. */
    public String password() {
        return password;
    }

    public String email() {
        return email;
    }

    public boolean generated() {
        return generated;
    }

    @Override
    public String toString() {
        return "ApproverCredentials[username=" + username + ", email=" + email + ", password=****]";
    }
}
