package com.oneclick.notifier.dedup;

import com.oneclick.model.RequestIds;
import com.oneclick.notifier.MailId;
import com.oneclick.notifier.NotificationKind;
import com.oneclick.notifier.SentNotifications.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SentLogTest {

    @TempDir
    Path dir;

    @Test
    void remembersWhatWasSentAcrossARestart() throws Exception {
        // given
        String requestId = RequestIds.newId();
        UUID eventId = UUID.randomUUID();
        try (SentLog log = new SentLog(dir)) {
            log.markMailed(MailId.toRequester(requestId, NotificationKind.PROVISIONED), eventId);
            log.markMailed(MailId.toRequester(requestId, NotificationKind.APPROVED), eventId);
            log.markAnnounced(MailId.toRequester(requestId, NotificationKind.APPROVED), eventId);
        }

        // when
        try (SentLog reopened = new SentLog(dir)) {

            // then
            assertThat(reopened.state(MailId.toRequester(requestId, NotificationKind.PROVISIONED))).isEqualTo(State.MAILED);
            assertThat(reopened.state(MailId.toRequester(requestId, NotificationKind.APPROVED))).isEqualTo(State.ANNOUNCED);
            assertThat(reopened.state(MailId.toRequester(requestId, NotificationKind.REJECTED))).isEqualTo(State.NONE);
            assertThat(reopened.state(MailId.toRequester(RequestIds.newId(), NotificationKind.PROVISIONED))).isEqualTo(State.NONE);
        }
        assertThat(Files.readAllLines(dir.resolve(SentLog.FILE_NAME))).containsExactly(
                requestId + " PROVISIONED " + eventId,
                requestId + " APPROVED " + eventId,
                requestId + " APPROVED " + eventId + " notified");
    }

    @Test
    void dropsALineCutShortByACrashAndKeepsAppendingCleanly() throws Exception {
        // given: a complete record, then half a line
        String done = RequestIds.newId();
        String torn = RequestIds.newId();
        UUID eventId = UUID.randomUUID();
        Files.writeString(dir.resolve(SentLog.FILE_NAME),
                done + " RECEIVED " + eventId + "\n" + torn + " PROVISI", StandardCharsets.UTF_8);

        // when
        try (SentLog log = new SentLog(dir)) {
            log.markMailed(MailId.toRequester(torn, NotificationKind.PROVISIONED), eventId);
        }

        // then
        try (SentLog reopened = new SentLog(dir)) {
            assertThat(reopened.state(MailId.toRequester(done, NotificationKind.RECEIVED))).isEqualTo(State.MAILED);
            assertThat(reopened.state(MailId.toRequester(torn, NotificationKind.PROVISIONED))).isEqualTo(State.MAILED);
        }
        assertThat(Files.readAllLines(dir.resolve(SentLog.FILE_NAME))).containsExactly(
                done + " RECEIVED " + eventId,
                torn + " PROVISIONED " + eventId);
    }

    @Test
    void skipsLinesThatAreNotRecords() throws Exception {
        // given
        String requestId = RequestIds.newId();
        Files.writeString(dir.resolve(SentLog.FILE_NAME), "garbage\n../etc PROVISIONED x\n"
                + requestId + " FAILED " + UUID.randomUUID() + "\n", StandardOpenOption.CREATE);

        // when
        try (SentLog log = new SentLog(dir)) {

            // then
            assertThat(log.state(MailId.toRequester(requestId, NotificationKind.FAILED))).isEqualTo(State.MAILED);
        }
    }

    @Test
    void keepsApproverEmailsApartPerRoundAndRecipient() throws Exception {
        // given
        String requestId = RequestIds.newId();
        UUID eventId = UUID.randomUUID();
        MailId firstRoundAlice = MailId.toApprover(requestId, 0, "Alice@Example.com");
        try (SentLog log = new SentLog(dir)) {
            log.markMailed(firstRoundAlice, eventId);
            log.markAnnounced(firstRoundAlice, eventId);
        }

        // when
        try (SentLog reopened = new SentLog(dir)) {

            // then
            assertThat(reopened.state(MailId.toApprover(requestId, 0, "alice@example.com"))).isEqualTo(State.ANNOUNCED);
            assertThat(reopened.state(MailId.toApprover(requestId, 1, "alice@example.com"))).isEqualTo(State.NONE);
            assertThat(reopened.state(MailId.toApprover(requestId, 0, "bob@example.com"))).isEqualTo(State.NONE);
        }
        assertThat(Files.readAllLines(dir.resolve(SentLog.FILE_NAME))).containsExactly(
                requestId + " APPROVAL_REQUESTED/0/alice@example.com " + eventId,
                requestId + " APPROVAL_REQUESTED/0/alice@example.com " + eventId + " notified");
    }

    @Test
    void recordsABatchOfAnnouncementsAcrossARestart() throws Exception {
        // given
        String requestId = RequestIds.newId();
        UUID received = UUID.randomUUID();
        UUID approved = UUID.randomUUID();
        MailId receivedMail = MailId.toRequester(requestId, NotificationKind.RECEIVED);
        MailId approvedMail = MailId.toRequester(requestId, NotificationKind.APPROVED);
        try (SentLog log = new SentLog(dir)) {
            log.markMailed(receivedMail, received);
            log.markMailed(approvedMail, approved);

            // when
            Map<MailId, UUID> batch = new LinkedHashMap<>();
            batch.put(receivedMail, received);
            batch.put(approvedMail, approved);
            log.markAnnounced(batch);
        }

        // then
        try (SentLog reopened = new SentLog(dir)) {
            assertThat(reopened.state(receivedMail)).isEqualTo(State.ANNOUNCED);
            assertThat(reopened.state(approvedMail)).isEqualTo(State.ANNOUNCED);
        }
        assertThat(Files.readAllLines(dir.resolve(SentLog.FILE_NAME))).endsWith(
                requestId + " RECEIVED " + received + " notified",
                requestId + " APPROVED " + approved + " notified");
    }
}
