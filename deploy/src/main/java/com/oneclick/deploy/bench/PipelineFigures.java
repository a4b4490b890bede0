package com.oneclick.deploy.bench;

import com.oneclick.deploy.bench.RequestTimeline.Stage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of one pipeline run: how many requests went through, the end-to-end throughput
 * (completed requests divided by the time from the first submission to the last email), and the
 * percentiles of every stage over the completed requests.
 */
public record PipelineFigures(String mode, int requests, int completed, int failed, Duration span,
                              double requestsPerSecond, Map<Stage, LatencyStats> stages) {

    public static PipelineFigures from(String mode, Collection<RequestTimeline> timelines) {
        List<RequestTimeline> done = timelines.stream().filter(RequestTimeline::complete).toList();
        int failed = (int) timelines.stream().filter(RequestTimeline::failed).count();
        Instant first = timelines.stream().map(RequestTimeline::submitted).filter(Objects::nonNull)
                .min(Instant::compareTo).orElse(null);
        Instant last = done.stream().map(RequestTimeline::emailed).max(Instant::compareTo).orElse(null);
        Duration span = first == null || last == null ? Duration.ZERO : Duration.between(first, last);
        Map<Stage, LatencyStats> stages = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            List<Duration> values = new ArrayList<>();
            for (RequestTimeline t : done) {
                t.stage(stage).ifPresent(values::add);
            }
            stages.put(stage, LatencyStats.of(values));
        }
        return new PipelineFigures(mode, timelines.size(), done.size(), failed, span,
                Throughput.perSecond(done.size(), span), Map.copyOf(stages));
    }

    public LatencyStats stage(Stage stage) {
        return stages.getOrDefault(stage, LatencyStats.EMPTY);
    }
}
