package com.oneclick.notifier.mail;

import com.oneclick.notifier.MailDeliveryException;
import com.oneclick.notifier.MailGateway;
import com.oneclick.notifier.OutgoingMail;
import com.oneclick.notifier.config.MailProperties;
import io.micronaut.email.Email;
import io.micronaut.email.EmailException;
import io.micronaut.email.EmailSender;
import jakarta.inject.Singleton;

/**
 * Adapter: sends through micronaut-email over JavaMail (Angus Mail). {@code send} returns once the
 * SMTP server accepted the message. Header values are cleaned again here, whatever the caller did.
 */
@Singleton
public class JavaMailGateway implements MailGateway {

    private final EmailSender<?, ?> sender;
    private final String from;

    public JavaMailGateway(EmailSender<?, ?> sender, MailProperties mail) {
        this.sender = sender;
        this.from = HeaderValues.address(mail.from());
    }

    @Override
    public void send(OutgoingMail mail) {
        Email.Builder email = Email.builder()
                .from(from)
                .to(HeaderValues.address(mail.recipient()))
                .subject(HeaderValues.singleLine(mail.subject()))
                .body(mail.html(), mail.text());
        try {
            sender.send(email);
        } catch (EmailException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new MailDeliveryException("mail server did not accept the message: " + cause.getMessage(), e);
        }
    }
}
