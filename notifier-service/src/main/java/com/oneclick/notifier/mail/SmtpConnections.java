package com.oneclick.notifier.mail;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * SMTP connections kept open from one email to the next, so an email costs the mail transaction
 * ({@code MAIL FROM}, {@code RCPT TO}, {@code DATA}) and not also a TCP connection, the server's
 * greeting, {@code EHLO}, STARTTLS and the login. Each connection carries one email at a time: a
 * sender takes an idle connection (or opens one), sends, and puts it back.
 *
 * <ul>
 *   <li>A connection whose send failed is closed; the next email opens a new one. What the failure
 *       means for the email is the caller's decision, exactly as with a fresh connection.</li>
 *   <li>A connection idle for {@link #CHECK_AFTER_IDLE} or more is checked with {@code NOOP} before
 *       it carries an email (a server may have dropped it); one idle for {@link #MAX_IDLE} is closed
 *       rather than reused, well inside the five minutes RFC 5321 lets a server wait.</li>
 *   <li>A connection is closed after {@link #MAX_MESSAGES} emails, so no server session grows without
 *       bound and a server's per-connection limit is never reached.</li>
 *   <li>The most recently used connection is taken first, so connections a burst opened fall idle
 *       and are closed.</li>
 * </ul>
 */
final class SmtpConnections implements AutoCloseable {

    static final Duration CHECK_AFTER_IDLE = Duration.ofSeconds(1);
    static final Duration MAX_IDLE = Duration.ofSeconds(30);
    static final int MAX_MESSAGES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(SmtpConnections.class);

    private final Session session;
    private final LongSupplier nanoTime;
    /** Idle connections, the most recently used first. Guarded by {@code this}. */
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    SmtpConnections(Session session) {
        this(session, System::nanoTime);
    }

    SmtpConnections(Session session, LongSupplier nanoTime) {
        this.session = session;
        this.nanoTime = nanoTime;
    }

    /**
     * Sends {@code message} to its recipients; returns once the server accepted it.
     *
     * @throws MessagingException as {@link Transport#send(Message)} would: the server could not be
     *                            reached, or refused the message or a recipient
     */
    void send(Message message) throws MessagingException {
        message.saveChanges();
        Address[] recipients = message.getAllRecipients();
        Connection connection = take();
        try {
            connection.transport.sendMessage(message, recipients);
        } catch (MessagingException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.sent++;
        connection.lastUsed = nanoTime.getAsLong();
        giveBack(connection);
    }

    /** Connections open and idle now. */
    synchronized int idleCount() {
        return idle.size();
    }

    /** Closes every idle connection; one in use is closed when its send ends. */
    @Override
    public void close() {
        List<Connection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
        }
        toClose.forEach(Connection::close);
    }

    private Connection take() throws MessagingException {
        while (true) {
            Connection connection;
            synchronized (this) {
                if (closed) {
                    throw new MessagingException("the mail connections are closed (the service is stopping)");
                }
                connection = idle.pollFirst();
            }
            if (connection == null) {
                return open();
            }
            long idleNanos = nanoTime.getAsLong() - connection.lastUsed;
            if (idleNanos >= MAX_IDLE.toNanos()) {
                connection.close();
            } else if (idleNanos < CHECK_AFTER_IDLE.toNanos() || connection.transport.isConnected()) {
                return connection;
            } else {
                LOG.debug("An idle SMTP connection was closed by the server; opening another");
                connection.close();
            }
        }
    }

    private Connection open() throws MessagingException {
        Transport transport = session.getTransport();
        transport.connect();
        return new Connection(transport, nanoTime.getAsLong());
    }

    private void giveBack(Connection connection) {
        List<Connection> toClose = new ArrayList<>();
        synchronized (this) {
            if (closed || connection.sent >= MAX_MESSAGES) {
                toClose.add(connection);
            } else {
                idle.addFirst(connection);
            }
            long now = nanoTime.getAsLong();
            for (Iterator<Connection> older = idle.descendingIterator(); older.hasNext(); ) {
                Connection candidate = older.next();
                if (now - candidate.lastUsed < MAX_IDLE.toNanos()) {
                    break;
                }
                older.remove();
                toClose.add(candidate);
            }
        }
        toClose.forEach(Connection::close);
    }

    private static final class Connection {
        final Transport transport;
        int sent;
        long lastUsed;

        Connection(Transport transport, long openedAt) {
            this.transport = transport;
            this.lastUsed = openedAt;
        }

        void close() {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("Closing an SMTP connection failed: {}", e.toString());
            }
        }
    }
}
