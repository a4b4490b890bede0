package com.oneclick.deploy.bench;

import com.oneclick.model.RequestIds;
import com.oneclick.testsupport.KafkaSupport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RawKafkaBaselineTest {

    @Test
    void everyEventGoesThroughAllSixHopsAndTheFiguresAgree() {
        // given the six event bodies one request puts on the topics
        List<byte[]> bodies = BenchRequests.eventBodies(BenchRequests.request("test", 0));
        RawKafkaBaseline baseline = new RawKafkaBaseline(KafkaSupport.bootstrapServers(),
                "bench.test." + RequestIds.newId());

        // when
        RawKafkaBaseline.Figures figures = baseline.run(5, bodies, Duration.ofSeconds(60));

        // then every event arrived, and the figures are present and consistent (no timing is asserted)
        assertThat(figures.events()).isEqualTo(5);
        assertThat(figures.delivered()).isEqualTo(5);
        assertThat(figures.hops()).isEqualTo(6);
        assertThat(figures.eventBytes()).isEqualTo(
                (int) Math.round(bodies.stream().mapToInt(b -> b.length).average().orElseThrow()));
        assertThat(figures.latency().count()).isEqualTo(5);
        assertThat(figures.latency().p50Ms()).isPositive()
                .isLessThanOrEqualTo(figures.latency().p95Ms());
        assertThat(figures.latency().p95Ms()).isLessThanOrEqualTo(figures.latency().p99Ms());
        assertThat(figures.latency().maxMs()).isLessThanOrEqualTo(figures.span().toNanos() / 1e6);
        assertThat(figures.eventsPerSecond()).isEqualTo(Throughput.perSecond(5, figures.span()));
    }
}
