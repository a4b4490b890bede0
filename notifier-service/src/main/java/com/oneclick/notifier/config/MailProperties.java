package com.oneclick.notifier.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The emails themselves ({@code oneclick.mail.*}): {@code from} is ONECLICK_MAIL_FROM,
 * {@code approvalsUrl} (ONECLICK_APPROVALS_URL) the approvals page linked from approver emails.
 */
@ConfigurationProperties("oneclick.mail")
public record MailProperties(String from, String approvalsUrl) {
}
