package com.oneclick.notifier.dedup;

import com.oneclick.model.RequestIds;
import com.oneclick.notifier.NotificationKind;
import com.oneclick.notifier.SentNotifications.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
            log.markMailed(requestId, NotificationKind.PROVISIONED, eventId);
            log.markMailed(requestId, NotificationKind.APPROVED, eventId);
            log.markAnnounced(requestId, NotificationKind.APPROVED, eventId);
        }

        // when
        try (SentLog reopened = new SentLog(dir)) {

            // then
            assertThat(reopened.state(requestId, NotificationKind.PROVISIONED)).isEqualTo(State.MAILED);
            assertThat(reopened.state(requestId, NotificationKind.APPROVED)).isEqualTo(State.ANNOUNCED);
            assertThat(reopened.state(requestId, NotificationKind.REJECTED)).isEqualTo(State.NONE);
            assertThat(reopened.state(RequestIds.newId(), NotificationKind.PROVISIONED)).isEqualTo(State.NONE);
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
            log.markMailed(torn, NotificationKind.PROVISIONED, eventId);
        }

        // then
        try (SentLog reopened = new SentLog(dir)) {
            assertThat(reopened.state(done, NotificationKind.RECEIVED)).isEqualTo(State.MAILED);
            assertThat(reopened.state(torn, NotificationKind.PROVISIONED)).isEqualTo(State.MAILED);
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
            assertThat(log.state(requestId, NotificationKind.FAILED)).isEqualTo(State.MAILED);
        }
    }
}
