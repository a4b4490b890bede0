package com.oneclick.notifier;

/** One email, ready to send: recipient, subject, and the same content as plain text and HTML. */
public record OutgoingMail(String recipient, String subject, String text, String html) {
}
