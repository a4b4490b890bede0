package com.oneclick.notifier.mail;

import com.oneclick.notifier.config.SmtpProperties;
import io.micronaut.email.javamail.sender.SessionProvider;
import jakarta.inject.Singleton;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;

import java.util.Properties;

/**
 * The JavaMail session for micronaut-email, built from {@code oneclick.smtp.*}. A session of its own
 * ({@link Session#getInstance}), not the JVM-wide default one, with timeouts so that a mail server
 * that hangs cannot stall the consumer.
 */
@Singleton
public class SmtpSessionProvider implements SessionProvider {

    private final Session session;

    public SmtpSessionProvider(SmtpProperties smtp) {
        Properties props = new Properties();
        String timeout = String.valueOf(smtp.timeout().toMillis());
        props.setProperty("mail.transport.protocol", "smtp");
        props.setProperty("mail.smtp.host", smtp.host());
        props.setProperty("mail.smtp.port", String.valueOf(smtp.port()));
        props.setProperty("mail.smtp.connectiontimeout", timeout);
        props.setProperty("mail.smtp.timeout", timeout);
        props.setProperty("mail.smtp.writetimeout", timeout);
        if (smtp.starttls()) {
            props.setProperty("mail.smtp.starttls.enable", "true");
            props.setProperty("mail.smtp.starttls.required", "true");
        }
        Authenticator authenticator = null;
        if (smtp.authenticates()) {
            props.setProperty("mail.smtp.auth", "true");
            String username = smtp.username();
            String password = smtp.password() == null ? "" : smtp.password();
            authenticator = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(username, password);
                }
            };
        }
        this.session = Session.getInstance(props, authenticator);
    }

    @Override
    public Session session() {
        return session;
    }
}
