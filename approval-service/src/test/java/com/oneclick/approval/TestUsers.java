package com.oneclick.approval;

import com.oneclick.testsupport.HttpTestClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.util.Map;

/** Two configured users: an approver and a viewer without the APPROVER role. */
final class TestUsers {

    static final HttpTestClient.Credentials APPROVER = new HttpTestClient.Credentials("alice", "alice-secret-1");
    static final String APPROVER_EMAIL = "alice@example.com";
    static final HttpTestClient.Credentials VIEWER = new HttpTestClient.Credentials("victor", "victor-secret-1");

    private TestUsers() {
    }

    /** The configuration, with passwords as {bcrypt} hashes (cost 4 keeps the tests fast). */
    static Map<String, String> properties() {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        return Map.of(
                "oneclick.approval.users[0].username", APPROVER.username(),
                "oneclick.approval.users[0].password", "{bcrypt}" + bcrypt.encode(APPROVER.password()),
                "oneclick.approval.users[0].email", APPROVER_EMAIL,
                "oneclick.approval.users[0].roles[0]", "APPROVER",
                "oneclick.approval.users[1].username", VIEWER.username(),
                "oneclick.approval.users[1].password", "{bcrypt}" + bcrypt.encode(VIEWER.password()),
                "oneclick.approval.users[1].email", "victor@example.com");
    }
}
