package com.oneclick.notifier.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The emails themselves ({@code oneclick.mail.*}): {@code from} is ONECLICK_MAIL_FROM,
 * {@code approvalsUrl} (ONECLICK_APPROVALS_URL) the approvals page linked from approver emails,
 * {@code senders} (ONECLICK_MAIL_SENDERS) how many threads send at once, 1 to {@value #MAX_SENDERS}.
 */
@ConfigurationProperties("oneclick.mail")
public record MailProperties(String from, String approvalsUrl, @Bindable(defaultValue = "4") int senders) {

    public static final int MAX_SENDERS = 32;

    public MailProperties {
        if (senders < 1 || senders > MAX_SENDERS) {
            throw new IllegalArgumentException("oneclick.mail.senders (ONECLICK_MAIL_SENDERS) must be 1 to "
                    + MAX_SENDERS + ", not " + senders);
        }
    }
}
