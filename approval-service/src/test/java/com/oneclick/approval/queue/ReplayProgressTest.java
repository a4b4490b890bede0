package com.oneclick.approval.queue;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayProgressTest {

    private static final String REQUESTED = "oneclick.requested";
    private static final String APPROVED = "oneclick.approved";

    @Test
    void caughtUpOnceEveryNonEmptyPartitionIsReadToItsEnd() {
        // given
        ReplayProgress replay = new ReplayProgress();
        replay.expect(Map.of(
                ReplayProgress.partition(REQUESTED, 0), 2L,
                ReplayProgress.partition(REQUESTED, 1), 0L,
                ReplayProgress.partition(APPROVED, 0), 1L));

        // when / then
        assertThat(replay.caughtUp()).isFalse();
        assertThat(replay.partitionsRemaining()).isEqualTo(2);
        assertThat(replay.consumed(REQUESTED, 0, 0)).isFalse();
        assertThat(replay.consumed(REQUESTED, 0, 1)).isFalse();
        assertThat(replay.partitionsRemaining()).isEqualTo(1);
        assertThat(replay.consumed(APPROVED, 0, 0)).isTrue();
        assertThat(replay.caughtUp()).isTrue();
        assertThat(replay.consumed(APPROVED, 0, 1)).isFalse();
    }

    @Test
    void recordsReadBeforeTheEndsWereKnownCount() {
        // given
        ReplayProgress replay = new ReplayProgress();
        replay.consumed(REQUESTED, 0, 0);
        replay.consumed(REQUESTED, 0, 1);

        // when
        boolean completed = replay.expect(Map.of(ReplayProgress.partition(REQUESTED, 0), 2L));

        // then
        assertThat(completed).isTrue();
        assertThat(replay.caughtUp()).isTrue();
    }

    @Test
    void notCaughtUpWhileTheEndsAreUnknown() {
        // given
        ReplayProgress replay = new ReplayProgress();

        // when
        replay.consumed(REQUESTED, 0, 5);

        // then
        assertThat(replay.caughtUp()).isFalse();
        assertThat(replay.partitionsRemaining()).isEqualTo(-1);
    }

    @Test
    void emptyTopicsNeedNoReplay() {
        // given
        ReplayProgress replay = new ReplayProgress();

        // when / then
        assertThat(replay.expect(Map.of(ReplayProgress.partition(REQUESTED, 0), 0L))).isTrue();
        assertThat(replay.caughtUp()).isTrue();
    }
}
