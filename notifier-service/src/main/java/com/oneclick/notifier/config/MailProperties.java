package com.oneclick.notifier.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** The emails themselves ({@code oneclick.mail.*}): {@code from} is ONECLICK_MAIL_FROM. */
@ConfigurationProperties("oneclick.mail")
public record MailProperties(String from) {
}
