package com.oneclick.deploy.ops;

import com.oneclick.testsupport.KafkaTestClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static com.oneclick.deploy.ops.OpsFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./oneclick redrive} against a real broker. */
class RedriveCommandTest {

    private String topic;
    private String deadLetters;

    /** Given two dead letters of a topic, with the headers the dead-lettering adds. */
    @BeforeEach
    void twoDeadLetters() {
        topic = OpsFixture.unique("redrive.flow");
        deadLetters = topic + ".dlt";
        OpsFixture.createTopic(topic, 1);
        OpsFixture.createTopic(deadLetters, 1);
        for (int i = 0; i < 2; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("eventType", "RequestApproved".getBytes(StandardCharsets.UTF_8));
            headers.add("x-exception-message", "unknown schema version 9".getBytes(StandardCharsets.UTF_8));
            headers.add("x-original-topic", topic.getBytes(StandardCharsets.UTF_8));
            headers.add("x-original-offset", ByteBuffer.allocate(8).putLong(40 + i).array());
            OpsFixture.send(deadLetters, 0, Instant.now(), "req-" + i, "{\"requestId\":\"req-" + i + "\"}", headers);
        }
    }

    @Test
    void publishesEveryDeadLetterBackWithItsKeyBodyAndTypeButWithoutTheDeadLetterHeaders() {
        // when
        OpsFixture.Result result = run("redrive", "--topic", deadLetters);

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains(deadLetters + "-0@0", deadLetters + "-0@1", "reason: unknown schema version 9",
                "-> " + topic + "-0@0", "-> " + topic + "-0@1");
        List<ConsumerRecord<byte[], byte[]>> redriven = KafkaTestClient.readAll(topic);
        assertThat(redriven).hasSize(2);
        ConsumerRecord<byte[], byte[]> first = redriven.get(0);
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("req-0");
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{\"requestId\":\"req-0\"}");
        assertThat(header(first, "eventType")).isEqualTo("RequestApproved");
        assertThat(header(first, "x-redriven-from")).isEqualTo(deadLetters + "-0@0");
        assertThat(first.headers().lastHeader("x-exception-message")).isNull();
        assertThat(first.headers().lastHeader("x-original-topic")).isNull();
        assertThat(first.headers().lastHeader("x-original-offset")).isNull();
    }

    @Test
    void withAnOffsetPublishesThatOneRecordOnly() {
        // when
        OpsFixture.Result result = run("redrive", "--topic", deadLetters, "--offset", "1");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<ConsumerRecord<byte[], byte[]>> redriven = KafkaTestClient.readAll(topic);
        assertThat(redriven).hasSize(1);
        assertThat(new String(redriven.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("req-1");
    }

    @Test
    void dryRunPublishesNothing() {
        // when
        OpsFixture.Result result = run("redrive", "--topic", deadLetters, "--dry-run");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("would re-drive 2", "-> " + topic, "nothing was published");
        assertThat(KafkaTestClient.readAll(topic)).isEmpty();
    }

    @Test
    void refusesATopicThatIsNotADeadLetterTopicAndAnOffsetWithoutARecord() {
        // when
        OpsFixture.Result notDlt = run("redrive", "--topic", topic);
        OpsFixture.Result noRecord = run("redrive", "--topic", deadLetters, "--offset", "2");
        OpsFixture.Result negative = run("redrive", "--topic", deadLetters, "--offset", "-1");

        // then
        assertThat(notDlt.exitCode()).isEqualTo(2);
        assertThat(notDlt.err()).contains("must be a dead-letter topic");
        assertThat(noRecord.exitCode()).isEqualTo(2);
        assertThat(noRecord.err()).contains("no record at offset 2", "its records are 0 to 1");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("--offset must not be negative");
        assertThat(KafkaTestClient.readAll(topic)).isEmpty();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
