package com.oneclick.notifier.outbox;

import com.oneclick.notifier.MailId;
import com.oneclick.notifier.OutgoingMail;
import com.oneclick.notifier.QueuedMail;
import com.oneclick.notifier.RecordOrigin;
import com.oneclick.model.RequestIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxLogTest {

    @TempDir
    Path dir;

    @Test
    void keepsWaitingEmailsAcrossARestartWithTheirOriginalRecordAndCompactsTheRest() throws Exception {
        // given: two approver emails queued, one of them sent
        QueuedMail sent = queued(MailId.toApprover(RequestIds.newId(), 0, "alice@example.com"));
        QueuedMail waiting = queued(MailId.toApprover(RequestIds.newId(), 1, "bob@example.com"));
        try (OutboxLog outbox = new OutboxLog(dir)) {
            outbox.enqueue(sent);
            outbox.enqueue(waiting);
            outbox.markSent(sent.id());
        }

        // when
        try (OutboxLog reopened = new OutboxLog(dir)) {

            // then
            assertThat(reopened.pending()).singleElement().satisfies(mail -> {
                assertThat(mail.id()).isEqualTo(waiting.id());
                assertThat(mail.mailId()).isEqualTo(waiting.mailId());
                assertThat(mail.mail()).isEqualTo(waiting.mail());
                assertThat(mail.queuedAt()).isEqualTo(waiting.queuedAt());
                assertThat(mail.origin()).isEqualTo(waiting.origin());
                assertThat(mail.origin().headers()).singleElement().satisfies(h -> {
                    assertThat(h.name()).isEqualTo("eventType");
                    assertThat(h.value()).isEqualTo("ApprovalRequested".getBytes(StandardCharsets.UTF_8));
                });
            });
            assertThat(reopened.isPending(waiting.mailId())).isTrue();
            assertThat(reopened.isPending(sent.mailId())).isFalse();
        }
        assertThat(Files.readAllLines(dir.resolve(OutboxLog.FILE_NAME))).hasSize(1);
    }

    @Test
    void dropsALineCutShortByACrash() throws Exception {
        // given
        QueuedMail waiting = queued(MailId.toApprover(RequestIds.newId(), 0, "alice@example.com"));
        try (OutboxLog outbox = new OutboxLog(dir)) {
            outbox.enqueue(waiting);
        }
        Files.writeString(dir.resolve(OutboxLog.FILE_NAME), "queued eyJpZCI6", StandardOpenOption.APPEND);

        // when
        try (OutboxLog reopened = new OutboxLog(dir)) {
            reopened.markDeadLettered(waiting.id());

            // then
            assertThat(reopened.pending()).isEmpty();
        }
        try (OutboxLog again = new OutboxLog(dir)) {
            assertThat(again.pending()).isEmpty();
        }
    }

    @Test
    void marksABatchSentInOneWriteAndFindsWaitingEmailsByIdentity() throws Exception {
        // given: three emails queued
        QueuedMail first = queued(MailId.toApprover(RequestIds.newId(), 0, "alice@example.com"));
        QueuedMail second = queued(MailId.toApprover(RequestIds.newId(), 0, "bob@example.com"));
        QueuedMail third = queued(MailId.toApprover(RequestIds.newId(), 0, "carol@example.com"));
        try (OutboxLog outbox = new OutboxLog(dir)) {
            outbox.enqueue(first);
            outbox.enqueue(second);
            outbox.enqueue(third);

            // when: two of them are marked sent together (one of them twice)
            outbox.markSent(List.of(first.id(), third.id(), first.id()));

            // then
            assertThat(outbox.pending()).containsExactly(second);
            assertThat(outbox.isPending(second.mailId())).isTrue();
            assertThat(outbox.isPending(first.mailId())).isFalse();
            assertThat(outbox.isPending(third.mailId())).isFalse();
        }
        assertThat(Files.readAllLines(dir.resolve(OutboxLog.FILE_NAME))).endsWith(
                "sent " + first.id(), "sent " + third.id());
        try (OutboxLog reopened = new OutboxLog(dir)) {
            assertThat(reopened.pending()).containsExactly(second);
            assertThat(reopened.isPending(second.mailId())).isTrue();
        }
    }

    private static QueuedMail queued(MailId id) {
        RecordOrigin origin = new RecordOrigin("oneclick.awaiting-approval", 2, 41L, 1_700_000_000_000L,
                id.requestId().getBytes(StandardCharsets.UTF_8), "{\"x\":1}".getBytes(StandardCharsets.UTF_8),
                List.of(new RecordOrigin.Header("eventType", "ApprovalRequested".getBytes(StandardCharsets.UTF_8))));
        return new QueuedMail(UUID.randomUUID(), id, UUID.randomUUID(),
                new OutgoingMail(id.recipient(), "OneClick: web-1 waits for your approval", "text", "<p>html</p>"),
                origin, Instant.parse("2025-01-01T10:00:00.123Z"));
    }
}
