package com.oneclick.deploy.ops;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static com.oneclick.deploy.ops.OpsFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./oneclick topics} against a real broker. */
class TopicsCommandTest {

    @Test
    void showsRecordCountsTheLagOfAGroupAndTheDeadLetters() {
        // given a topic of 5 records of which the group read 3, and its .dlt with 2 dead letters
        String topic = OpsFixture.unique("topics.flow");
        String group = OpsFixture.unique("topics-group");
        OpsFixture.createTopic(topic, 1);
        OpsFixture.createTopic(topic + ".dlt", 1);
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            OpsFixture.send(topic, 0, now, "r" + i);
        }
        OpsFixture.consume(group, topic, 3);
        for (int i = 3; i < 5; i++) {
            OpsFixture.send(topic, 0, now, "r" + i);
        }
        OpsFixture.send(topic + ".dlt", 0, now, "{bad json");
        OpsFixture.send(topic + ".dlt", 0, now, "{bad json again");

        // when
        OpsFixture.Result result = run("topics");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("(?m)^" + topic + " +1 +5 +5$");
        assertThat(result.out()).containsPattern("(?m)^" + topic + "\\.dlt +1 +2 +2 +<- 2 dead letter\\(s\\)$");
        assertThat(result.out()).containsPattern("(?m)^" + group + " +Empty +0 +" + topic + " +3 +5 +2$");
        assertThat(result.out()).contains("Dead letters: ", "  " + topic + ".dlt: 2");
    }

    @Test
    void takesNoOtherArguments() {
        // when
        OpsFixture.Result result = run("topics", "--group", "x");

        // then
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown argument '--group'");
    }
}
