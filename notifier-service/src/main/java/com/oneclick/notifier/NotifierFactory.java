package com.oneclick.notifier;

import com.oneclick.notifier.config.SmtpProperties;
import com.oneclick.notifier.mail.MailComposer;
import com.oneclick.notifier.mail.MailTemplates;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Wires the framework-free use case to its adapters. */
@Factory
public class NotifierFactory {

    @Singleton
    public MailComposer mailComposer() {
        return new MailComposer(MailTemplates.fromClasspath());
    }

    @Singleton
    public Notifications notifications(MailComposer composer, MailGateway mail, SentNotifications sent,
                                       NotificationEvents events, SmtpProperties smtp) {
        RetryPolicy retry = new RetryPolicy(smtp.maxAttempts(), smtp.backoff(), smtp.maxBackoff());
        return new Notifications(composer, mail, sent, events, retry, RetryPolicy.Sleeper.THREAD);
    }
}
