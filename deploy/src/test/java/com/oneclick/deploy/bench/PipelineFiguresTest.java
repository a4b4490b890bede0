package com.oneclick.deploy.bench;

import com.oneclick.deploy.bench.RequestTimeline.Stage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineFiguresTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    /** A request submitted at {@code start} ms whose stages take the given milliseconds. */
    private static RequestTimeline complete(String id, long start, long approve, long push, long buildWait,
                                            long build, long publish, long mail) {
        Instant submitted = T0.plusMillis(start);
        Instant approved = submitted.plusMillis(approve);
        Instant pushed = approved.plusMillis(push);
        Instant buildStarted = pushed.plusMillis(buildWait);
        Instant buildDone = buildStarted.plusMillis(build);
        Instant provisioned = buildDone.plusMillis(publish);
        return RequestTimeline.submittedAt(id, submitted).withApproved(approved).withPushed(pushed)
                .withBuildStarted(buildStarted).withProvisioned(buildDone, provisioned)
                .withEmailed(provisioned.plusMillis(mail));
    }

    @Test
    void stagesAddUpToEndToEndAndOverheadIsEndToEndMinusTheBuild() {
        // given one request: 40 + 60 + (10 + 1000) + 5 + 85 = 1200 ms end to end, build 1000 ms
        RequestTimeline t = complete("a", 0, 40, 60, 10, 1000, 5, 85);

        // when
        PipelineFigures figures = PipelineFigures.from("closed loop", List.of(t));

        // then
        assertThat(figures.stage(Stage.SUBMIT_TO_APPROVED).p50Ms()).isEqualTo(40.0);
        assertThat(figures.stage(Stage.APPROVED_TO_PUSHED).p50Ms()).isEqualTo(60.0);
        assertThat(figures.stage(Stage.PUSHED_TO_BUILD_DONE).p50Ms()).isEqualTo(1010.0);
        assertThat(figures.stage(Stage.BUILD_DONE_TO_PROVISIONED).p50Ms()).isEqualTo(5.0);
        assertThat(figures.stage(Stage.PROVISIONED_TO_EMAIL).p50Ms()).isEqualTo(85.0);
        assertThat(figures.stage(Stage.BUILD).p50Ms()).isEqualTo(1000.0);
        assertThat(figures.stage(Stage.END_TO_END).p50Ms()).isEqualTo(1200.0);
        assertThat(figures.stage(Stage.OVERHEAD).p50Ms()).isEqualTo(200.0);
        double chain = Stage.CHAIN.stream().mapToDouble(s -> figures.stage(s).p50Ms()).sum();
        assertThat(chain).isEqualTo(figures.stage(Stage.END_TO_END).p50Ms());
    }

    @Test
    void throughputIsCompletedRequestsFromFirstSubmissionToLastEmail() {
        // given two requests, the second submitted 1 s later; the last email 4 s after the first submission
        RequestTimeline first = complete("a", 0, 10, 10, 10, 1000, 10, 10);
        RequestTimeline second = complete("b", 1000, 10, 10, 1000, 1910, 10, 60);

        // when
        PipelineFigures figures = PipelineFigures.from("closed loop", List.of(first, second));

        // then
        assertThat(figures.span()).isEqualTo(Duration.ofSeconds(4));
        assertThat(figures.requestsPerSecond()).isEqualTo(0.5);
        assertThat(figures.completed()).isEqualTo(2);
    }

    @Test
    void unfinishedAndFailedRequestsCountButAddNoLatencies() {
        // given one complete, one failed after its push, one that never got approved
        RequestTimeline done = complete("a", 0, 10, 10, 10, 1000, 10, 10);
        RequestTimeline failed = RequestTimeline.submittedAt("b", T0).withApproved(T0.plusMillis(10))
                .withPushed(T0.plusMillis(20)).withFailure("provisioning failed: boom");
        RequestTimeline waiting = RequestTimeline.submittedAt("c", T0.plusMillis(5));

        // when
        PipelineFigures figures = PipelineFigures.from("fixed rate 10/s", List.of(done, failed, waiting));

        // then
        assertThat(figures.requests()).isEqualTo(3);
        assertThat(figures.completed()).isEqualTo(1);
        assertThat(figures.failed()).isEqualTo(1);
        assertThat(figures.stage(Stage.APPROVED_TO_PUSHED).count()).isEqualTo(1);
    }

    @Test
    void theFirstEventOfAKindWinsSoAReplayChangesNothing() {
        // given
        RequestTimeline t = RequestTimeline.submittedAt("a", T0).withApproved(T0.plusMillis(10));

        // when a replayed approval is seen later
        RequestTimeline replayed = t.withApproved(T0.plusMillis(5000));

        // then
        assertThat(replayed.approved()).isEqualTo(T0.plusMillis(10));
    }

    @Test
    void aRecordTimestampTruncatedBelowTheEventTimeCountsAsZero() {
        // given the provisioned record's millisecond timestamp is before the event's microsecond occurredAt
        Instant buildDone = T0.plusNanos(1_400_000);
        RequestTimeline t = RequestTimeline.submittedAt("a", T0).withProvisioned(buildDone, T0.plusMillis(1));

        // then
        assertThat(t.stage(Stage.BUILD_DONE_TO_PROVISIONED)).contains(Duration.ZERO);
    }
}
