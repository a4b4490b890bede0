package com.oneclick.notifier.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * The mail server ({@code oneclick.smtp.*}, from ONECLICK_SMTP_*). Authentication is used only when
 * a username is set. {@code backoff}, {@code maxBackoff} and {@code giveUpAfter} drive the retries of
 * an email (see {@link com.oneclick.notifier.RetryPolicy}). The password is never logged: {@link #toString()} masks it.
 */
@ConfigurationProperties("oneclick.smtp")
public record SmtpProperties(
        String host,
        int port,
        @Nullable String username,
        @Nullable String password,
        boolean starttls,
        Duration timeout,
        Duration backoff,
        Duration maxBackoff,
        Duration giveUpAfter) {

    public boolean authenticates() {
        return username != null && !username.isBlank();
    }

    @Override
    public String toString() {
        return "SmtpProperties[host=" + host + ", port=" + port + ", username=" + username
                + ", password=" + (password == null || password.isEmpty() ? "<unset>" : "****")
                + ", starttls=" + starttls + ", timeout=" + timeout + ", backoff=" + backoff
                + ", maxBackoff=" + maxBackoff + ", giveUpAfter=" + giveUpAfter + "]";
    }
}
