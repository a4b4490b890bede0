package com.oneclick.deploy.ops;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the ops commands find Kafka: --bootstrap, else ONECLICK_KAFKA_BOOTSTRAP, else ONECLICK_KAFKA_PORT. */
class BootstrapTest {

    @Test
    void theOptionWinsAndIsTakenOutOfTheArguments() {
        // given
        List<String> args = new ArrayList<>(List.of("--group", "g", "--bootstrap", "kafka:19092", "--to-earliest"));

        // when
        String bootstrap = Ops.bootstrap(args, Map.of("ONECLICK_KAFKA_BOOTSTRAP", "other:9092"));

        // then
        assertThat(bootstrap).isEqualTo("kafka:19092");
        assertThat(args).containsExactly("--group", "g", "--to-earliest");
    }

    @Test
    void withoutTheOptionTheEnvironmentDecides() {
        assertThat(Ops.bootstrap(new ArrayList<>(), Map.of("ONECLICK_KAFKA_BOOTSTRAP", "a:1,b:2"))).isEqualTo("a:1,b:2");
        assertThat(Ops.bootstrap(new ArrayList<>(), Map.of("ONECLICK_KAFKA_PORT", "49092"))).isEqualTo("127.0.0.1:49092");
        assertThat(Ops.bootstrap(new ArrayList<>(), Map.of())).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void rejectsWhatIsNotHostAndPort() {
        assertThatThrownBy(() -> Ops.bootstrap(new ArrayList<>(List.of("--bootstrap", "kafka")), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--bootstrap must be host:port");
        assertThatThrownBy(() -> Ops.bootstrap(new ArrayList<>(List.of("--bootstrap=kafka:0")), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--bootstrap must be host:port");
        assertThatThrownBy(() -> Ops.bootstrap(new ArrayList<>(), Map.of("ONECLICK_KAFKA_PORT", "abc")))
                .isInstanceOf(UsageException.class).hasMessageContaining("ONECLICK_KAFKA_PORT must be a port number");
    }
}
