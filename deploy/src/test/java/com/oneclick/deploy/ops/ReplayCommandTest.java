package com.oneclick.deploy.ops;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.oneclick.deploy.ops.OpsFixture.committed;
import static com.oneclick.deploy.ops.OpsFixture.consume;
import static com.oneclick.deploy.ops.OpsFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./oneclick replay} against a real broker, a real consumer group and its committed offsets. */
class ReplayCommandTest {

    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

    private String topic;
    private String group;

    /** Given a topic of two partitions (p0: a0..a2 an hour apart, p1: b0..b1) that the group has read to the end. */
    @BeforeEach
    void aGroupThatReadTheTopicToItsEnd() {
        topic = OpsFixture.unique("replay.topic");
        group = OpsFixture.unique("replay-group");
        OpsFixture.createTopic(topic, 2);
        for (int i = 0; i < 3; i++) {
            OpsFixture.send(topic, 0, T0.plusSeconds(3600L * i), "a" + i);
        }
        for (int i = 0; i < 2; i++) {
            OpsFixture.send(topic, 1, T0.plusSeconds(3600L * i), "b" + i);
        }
        consume(group, topic, 5);
        assertThat(committed(group, topic)).isEqualTo(Map.of(0, 3L, 1, 2L));
    }

    @Test
    void toEarliestMovesEveryPartitionToItsStartAndTheGroupReadsEverythingAgain() {
        // when
        OpsFixture.Result result = run("replay", "--group", group, "--topic", topic, "--to-earliest");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("partition 0: 3 -> 0", "partition 1: 2 -> 0",
                "reads 5 record(s) again", "idempotent");
        assertThat(committed(group, topic)).isEqualTo(Map.of(0, 0L, 1, 0L));
        assertThat(consume(group, topic, 5)).containsExactlyInAnyOrder("a0", "a1", "a2", "b0", "b1");
    }

    @Test
    void fromOffsetMovesEveryPartitionToThatOffsetAndTheGroupReadsFromThere() {
        // when
        OpsFixture.Result result = run("replay", "--group", group, "--topic", topic, "--from-offset", "1");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("partition 0: 3 -> 1", "partition 1: 2 -> 1");
        assertThat(committed(group, topic)).isEqualTo(Map.of(0, 1L, 1, 1L));
        assertThat(consume(group, topic, 3)).containsExactlyInAnyOrder("a1", "a2", "b1");
    }

    @Test
    void fromTimeMovesEveryPartitionToItsFirstRecordAtOrAfterThatTime() {
        // when: an hour after T0, written with an offset from UTC
        OpsFixture.Result result = run("replay", "--group", group, "--topic", topic,
                "--from-time", "2025-06-01T13:00:00+02:00");

        // then p0 goes back to a1 (T0+1h); p1 to b1 (T0+1h)
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(committed(group, topic)).isEqualTo(Map.of(0, 1L, 1, 1L));
        assertThat(consume(group, topic, 3)).containsExactlyInAnyOrder("a1", "a2", "b1");
    }

    @Test
    void fromTimeAfterTheLastRecordMovesToTheEnd() {
        // when
        OpsFixture.Result result = run("replay", "--group", group, "--topic", topic,
                "--from-time", "2025-06-01T11:30:00Z");

        // then p0 goes to a2 (T0+2h); p1 has nothing at or after 11:30, so it stays at its end
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(committed(group, topic)).isEqualTo(Map.of(0, 2L, 1, 2L));
    }

    @Test
    void refusesWhileTheGroupHasALiveMemberAndChangesNothing() throws Exception {
        // given a consumer of the group that is polling
        try (OpsFixture.LiveMember member = new OpsFixture.LiveMember(group, topic)) {

            // when
            OpsFixture.Result result = run("replay", "--group", group, "--topic", topic, "--to-earliest");

            // then
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("1 live member(s)", "stop the service", "Nothing was changed");
            assertThat(result.err().strip().lines()).hasSize(1);
            assertThat(result.out()).isEmpty();
            assertThat(committed(group, topic)).isEqualTo(Map.of(0, 3L, 1, 2L));
        }
    }

    @Test
    void dryRunPrintsTheMovesAndChangesNothing() {
        // when
        OpsFixture.Result result = run("replay", "--group", group, "--topic", topic, "--to-earliest", "--dry-run");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Dry run", "partition 0: 3 -> 0", "partition 1: 2 -> 0",
                "nothing was changed");
        assertThat(committed(group, topic)).isEqualTo(Map.of(0, 3L, 1, 2L));
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of("--topic", "TOPIC", "--to-earliest"), "--group is required"),
                Arguments.of(List.of("--group", "GROUP", "--to-earliest"), "--topic is required"),
                Arguments.of(List.of("--group", "GROUP", "--topic", "TOPIC"), "say where to start"),
                Arguments.of(List.of("--group", "GROUP", "--topic", "TOPIC", "--to-earliest", "--from-offset", "0"),
                        "give only one of"),
                Arguments.of(List.of("--group", "GROUP", "--topic", "TOPIC", "--from-offset", "-1"),
                        "--from-offset must not be negative"),
                Arguments.of(List.of("--group", "GROUP", "--topic", "TOPIC", "--from-offset", "ten"),
                        "--from-offset must be a whole number"),
                Arguments.of(List.of("--group", "GROUP", "--topic", "TOPIC", "--from-offset", "4"),
                        "--from-offset 4 is outside"),
                Arguments.of(List.of("--group", "GROUP", "--topic", "TOPIC", "--from-time", "2025-06-01 10:00"),
                        "--from-time must be an ISO-8601 time with a zone"),
                Arguments.of(List.of("--group", "GROUP", "--topic", "TOPIC", "--from-time", "2025-06-01T10:00:00"),
                        "--from-time must be an ISO-8601 time with a zone"),
                Arguments.of(List.of("--group", "GROUP", "--topic", "no.such.topic", "--to-earliest"),
                        "unknown topic 'no.such.topic'"),
                Arguments.of(List.of("--group", "no-such-group", "--topic", "TOPIC", "--to-earliest"),
                        "unknown consumer group 'no-such-group'"),
                Arguments.of(List.of("--group", "GROUP", "--topic", "TOPIC", "--to-earliest", "--force"),
                        "unknown argument '--force'"),
                Arguments.of(List.of("--group", "GROUP", "--topic", "TOPIC", "--to-earliest", "--bootstrap", "nohost"),
                        "--bootstrap must be host:port"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void aBadCommandLineIsOneLineExitTwoAndChangesNothing(List<String> args, String message) {
        // when
        String[] resolved = args.stream().map(a -> a.replace("GROUP", group).replace("TOPIC", topic))
                .toArray(String[]::new);
        OpsFixture.Result result = run("replay", resolved);

        // then
        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(2);
        assertThat(result.err()).contains(message);
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.out()).isEmpty();
        assertThat(committed(group, topic)).isEqualTo(Map.of(0, 3L, 1, 2L));
    }

    @Test
    void aGroupWithoutOffsetsOnTheTopicIsRefusedAsABadCommandLine() {
        // given another topic the group never read
        String other = OpsFixture.unique("replay.other");
        OpsFixture.createTopic(other, 1);

        // when
        OpsFixture.Result result = run("replay", "--group", group, "--topic", other, "--to-earliest");

        // then
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("has no committed offset on " + other, "it has on: " + topic);
        assertThat(committed(group, other)).isEmpty();
    }
}
