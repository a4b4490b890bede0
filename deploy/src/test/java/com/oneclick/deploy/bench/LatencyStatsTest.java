package com.oneclick.deploy.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyStatsTest {

    @Test
    void percentilesOfOneToHundredAreTheNearestRanks() {
        // given 1..100 ms in shuffled order
        List<Duration> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add(Duration.ofMillis(i));
        }
        Collections.shuffle(values);

        // when
        LatencyStats stats = LatencyStats.of(values);

        // then
        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.minMs()).isEqualTo(1.0);
        assertThat(stats.p50Ms()).isEqualTo(50.0);
        assertThat(stats.p95Ms()).isEqualTo(95.0);
        assertThat(stats.p99Ms()).isEqualTo(99.0);
        assertThat(stats.maxMs()).isEqualTo(100.0);
        assertThat(stats.meanMs()).isEqualTo(50.5);
    }

    @Test
    void smallSamplesTakeTheValueAtTheRoundedUpRank() {
        // given three values: p50 is rank 2, p95 and p99 are rank 3
        List<Duration> values = List.of(Duration.ofMillis(30), Duration.ofMillis(10), Duration.ofMillis(20));

        // when
        LatencyStats stats = LatencyStats.of(values);

        // then
        assertThat(stats.p50Ms()).isEqualTo(20.0);
        assertThat(stats.p95Ms()).isEqualTo(30.0);
        assertThat(stats.p99Ms()).isEqualTo(30.0);
    }

    @Test
    void keepsSubMillisecondPrecision() {
        // when
        LatencyStats stats = LatencyStats.of(List.of(Duration.ofNanos(1_500_000)));

        // then
        assertThat(stats.p50Ms()).isEqualTo(1.5);
    }

    @Test
    void noValuesGiveNoFigures() {
        // when
        LatencyStats stats = LatencyStats.of(List.of());

        // then
        assertThat(stats.isEmpty()).isTrue();
        assertThat(stats.p50Ms()).isNaN();
        assertThat(stats.p99Ms()).isNaN();
    }
}
