package com.oneclick.notifier;

/** Port: hands an email to the mail server. Returns only once the server accepted it. */
public interface MailGateway {

    /** @throws MailDeliveryException when the server could not be reached or refused the message */
    void send(OutgoingMail mail);
}
