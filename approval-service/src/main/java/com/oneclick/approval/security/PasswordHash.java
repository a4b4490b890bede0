package com.oneclick.approval.security;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Prints the {@code {bcrypt}} hash of a password for {@code ONECLICK_APPROVAL_USERS_<i>_PASSWORD}.
 * The password is read from the terminal or standard input, never from the command line (which
 * would leave it in the shell history and the process list):
 *
 * <pre>
 * java -Dloader.main=com.oneclick.approval.security.PasswordHash \
 *      -cp approval-service/target/approval-service-0.1.0-SNAPSHOT-exec.jar \
 *      org.springframework.boot.loader.launch.PropertiesLauncher
 * </pre>
 */
public final class PasswordHash {

    private PasswordHash() {
    }

    public static void main(String[] args) throws IOException {
        String password;
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("Password: ");
            password = typed == null ? null : new String(typed);
        } else {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.isEmpty()) {
            System.err.println("No password given.");
            System.exit(2);
            return;
        }
        System.out.println("{bcrypt}" + new BCryptPasswordEncoder().encode(password));
    }
}
