package com.oneclick.deploy.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThroughputTest {

    @Test
    void countOverSpanInSeconds() {
        assertThat(Throughput.perSecond(20, Duration.ofSeconds(8))).isEqualTo(2.5);
        assertThat(Throughput.perSecond(3, Duration.ofMillis(1500))).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void betweenTwoInstants() {
        Instant from = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(Throughput.perSecond(10, from, from.plusSeconds(4))).isEqualTo(2.5);
    }

    @Test
    void nothingCompletedOrNoSpanIsNoFigure() {
        assertThat(Throughput.perSecond(0, Duration.ofSeconds(1))).isNaN();
        assertThat(Throughput.perSecond(5, Duration.ZERO)).isNaN();
        assertThat(Throughput.perSecond(5, null, Instant.now())).isNaN();
    }

    @Test
    void ratioNeedsAPositiveDenominator() {
        assertThat(Throughput.ratio(1.6, 2.0)).isEqualTo(0.8);
        assertThat(Throughput.ratio(1.0, 0.0)).isNaN();
        assertThat(Throughput.ratio(Double.NaN, 2.0)).isNaN();
    }
}
