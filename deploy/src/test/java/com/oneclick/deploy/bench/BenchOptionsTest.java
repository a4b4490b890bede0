package com.oneclick.deploy.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void defaultsAreTwentyRequestsTenPerSecondNoInventoryParallelismTwo() {
        // when
        BenchOptions options = BenchOptions.parse(new String[0]);

        // then
        assertThat(options.requests()).isEqualTo(20);
        assertThat(options.rate()).isEqualTo(10.0);
        assertThat(options.inventorySizes()).containsExactly(0);
        assertThat(options.parallelism()).isEqualTo(2);
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(120 + 15 * 20));
        assertThat(options.keepState()).isFalse();
    }

    @Test
    void readsEveryOption() {
        // when
        BenchOptions options = BenchOptions.parse(new String[]{"--requests", "50", "--rate", "2.5", "--inventory",
                "10000", "--parallelism", "4", "--warmup", "0", "--timeout", "600", "--keep-state"});

        // then
        assertThat(options).isEqualTo(new BenchOptions(50, 2.5, 10000, 4, List.of(), 0, Duration.ofSeconds(600),
                true));
        assertThat(options.toArgs()).containsExactly("--requests", "50", "--rate", "2.5", "--inventory", "10000",
                "--parallelism", "4", "--warmup", "0", "--timeout", "600", "--keep-state");
    }

    @Test
    void scaleRunsNoneTenThousandAndHundredThousandRows() {
        // when
        BenchOptions options = BenchOptions.parse(new String[]{"--scale"});

        // then
        assertThat(options.inventorySizes()).containsExactly(0, 10_000, 100_000);
    }

    @Test
    void refusesBadValuesWithTheOptionName() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--requests", "0"}))
                .hasMessage("--requests must be a whole number from 1 to 10000, not '0'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--rate", "fast"}))
                .hasMessageStartingWith("--rate must be a number of requests per second");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--inventory"}))
                .hasMessage("--inventory needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--scale", "--inventory", "5"}))
                .hasMessageContaining("leave out --inventory");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--turbo"}))
                .hasMessage("unknown option '--turbo'");
    }
}
