package com.oneclick.notifier.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * The mail server ({@code oneclick.smtp.*}, from ONECLICK_SMTP_*). Authentication is used only when
 * a username is set. The password is never logged: {@link #toString()} masks it.
 */
@ConfigurationProperties("oneclick.smtp")
public record SmtpProperties(
        String host,
        int port,
        @Nullable String username,
        @Nullable String password,
        boolean starttls,
        Duration timeout,
        int maxAttempts,
        Duration backoff,
        Duration maxBackoff) {

    public boolean authenticates() {
        return username != null && !username.isBlank();
    }

    @Override
    public String toString() {
        return "SmtpProperties[host=" + host + ", port=" + port + ", username=" + username
                + ", password=" + (password == null || password.isEmpty() ? "<unset>" : "****")
                + ", starttls=" + starttls + ", timeout=" + timeout + ", maxAttempts=" + maxAttempts
                + ", backoff=" + backoff + ", maxBackoff=" + maxBackoff + "]";
    }
}
