package com.oneclick.notifier;

import com.oneclick.notifier.config.DataProperties;
import com.oneclick.notifier.config.MailProperties;
import com.oneclick.notifier.config.SmtpProperties;
import com.oneclick.notifier.kafka.EventRecords;
import com.oneclick.notifier.kafka.KafkaDeadLetters;
import com.oneclick.notifier.mail.MailComposer;
import com.oneclick.notifier.mail.MailTemplates;
import com.oneclick.notifier.outbox.DeadLetterLog;
import com.oneclick.notifier.outbox.OutboxLog;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;

/** Wires the framework-free use case to its adapters. */
@Factory
public class NotifierFactory {

    @Singleton
    public MailComposer mailComposer(MailProperties mail) {
        return new MailComposer(MailTemplates.fromClasspath(), mail.approvalsUrl());
    }

    @Singleton
    @Bean(preDestroy = "close")
    public OutboxLog outbox(DataProperties data) {
        return new OutboxLog(Path.of(data.dir()));
    }

    @Singleton
    @Bean(preDestroy = "close")
    public DeadLetterLog deadLetterLog(DataProperties data) {
        return new DeadLetterLog(Path.of(data.dir()));
    }

    @Singleton
    public KafkaDeadLetters deadLetters(EventRecords records, DeadLetterLog log) {
        return new KafkaDeadLetters(records, log);
    }

    @Singleton
    public Notifications notifications(MailComposer composer, SentNotifications sent, Outbox outbox,
                                       KafkaDeadLetters deadLetters, MailGateway mail, NotificationEvents events) {
        return new Notifications(composer, sent, outbox, deadLetters, mail, events, Clock.systemUTC());
    }

    @Singleton
    public MailDelivery mailDelivery(Outbox outbox, Notifications notifications, KafkaDeadLetters deadLetters,
                                     SmtpProperties smtp, MailProperties mail) {
        RetryPolicy retry = new RetryPolicy(smtp.backoff(), smtp.maxBackoff(), smtp.giveUpAfter());
        return new MailDelivery(outbox, notifications, deadLetters, retry, Clock.systemUTC(), mail.senders());
    }
}
