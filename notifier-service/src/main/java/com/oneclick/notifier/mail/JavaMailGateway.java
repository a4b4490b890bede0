package com.oneclick.notifier.mail;

import com.oneclick.notifier.MailDeliveryException;
import com.oneclick.notifier.MailDeliveryException.Failure;
import com.oneclick.notifier.MailGateway;
import com.oneclick.notifier.OutgoingMail;
import com.oneclick.notifier.config.MailProperties;
import io.micronaut.email.Email;
import io.micronaut.email.EmailException;
import io.micronaut.email.javamail.sender.JavaxEmailComposer;
import io.micronaut.email.javamail.sender.SessionProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Adapter: micronaut-email composes the message, JavaMail (Angus Mail) sends it over an SMTP
 * connection kept open between emails ({@link SmtpConnections}). {@code send} returns once the SMTP
 * server accepted the message. Header values are cleaned again here, whatever the caller did.
 *
 * <p>A failure is classified by the server's reply code, found anywhere in the cause chain: 5xx
 * (other than 421-like shutdowns, which are 4xx anyway) rejects the message for good; 421 means the
 * server is going away; any other 4xx defers this message. No reply code at all (connection refused,
 * timed out, TLS or login failed) means the server is unavailable. An address JavaMail cannot parse
 * is rejected without asking the server.
 */
@Singleton
public class JavaMailGateway implements MailGateway, AutoCloseable {

    private final JavaxEmailComposer composer;
    private final SmtpConnections connections;
    private final String from;

    public JavaMailGateway(JavaxEmailComposer composer, SessionProvider sessions, MailProperties mail) {
        this.composer = composer;
        this.connections = new SmtpConnections(sessions.session());
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
            connections.send(composer.compose(email.build()));
        } catch (EmailException | MessagingException e) {
            throw classify(e);
        }
    }

    /** Closes the open SMTP connections (with {@code QUIT}) when the service stops. */
    @PreDestroy
    @Override
    public void close() {
        connections.close();
    }

    static MailDeliveryException classify(Exception failure) {
        int code = 0;
        String reply = null;
        boolean badAddress = false;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SMTPAddressFailedException address) {
                code = address.getReturnCode();
                reply = address.getMessage();
            } else if (t instanceof SMTPSenderFailedException sender) {
                code = sender.getReturnCode();
                reply = sender.getMessage();
            } else if (t instanceof SMTPSendFailedException send && code == 0) {
                code = send.getReturnCode();
                reply = send.getMessage();
            } else if (t instanceof AddressException) {
                badAddress = true;
                reply = t.getMessage();
            }
            if (code != 0) {
                break;
            }
        }
        Throwable root = failure instanceof EmailException && failure.getCause() != null ? failure.getCause() : failure;
        String detail = reply != null ? reply.strip() : String.valueOf(root.getMessage());
        if (badAddress && code == 0) {
            return new MailDeliveryException(Failure.REJECTED, "address cannot be used: " + detail, failure);
        }
        if (code >= 500) {
            return new MailDeliveryException(Failure.REJECTED, "mail server rejected the message: " + detail, failure);
        }
        if (code == 421) {
            return new MailDeliveryException(Failure.SERVER_UNAVAILABLE, "mail server not available: " + detail,
                    failure);
        }
        if (code >= 400) {
            return new MailDeliveryException(Failure.DEFERRED, "mail server deferred the message: " + detail,
                    failure);
        }
        return new MailDeliveryException(Failure.SERVER_UNAVAILABLE, "mail server not reachable: " + detail, failure);
    }
}
