package com.oneclick.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static RequestTimeline request(String id, long start, long build, long overhead) {
        Instant submitted = T0.plusMillis(start);
        Instant buildStarted = submitted.plusMillis(overhead / 2);
        Instant buildDone = buildStarted.plusMillis(build);
        return RequestTimeline.submittedAt(id, submitted).withApproved(submitted.plusMillis(overhead / 4))
                .withPushed(submitted.plusMillis(overhead / 2)).withBuildStarted(buildStarted)
                .withProvisioned(buildDone, buildDone).withEmailed(buildDone.plusMillis(overhead - overhead / 2));
    }

    private static BenchReport report() {
        Machine machine = new Machine(2, 8L << 30, "Test CPU", "Linux", "OpenJDK 17", "Terraform v1.11.0");
        BenchOptions options = BenchOptions.parse(new String[]{"--requests", "2"});
        RawKafkaBaseline.Figures kafka = new RawKafkaBaseline.Figures(2, 6, 700, 2, Duration.ofMillis(100), 20.0,
                LatencyStats.of(List.of(Duration.ofMillis(40), Duration.ofMillis(60))));
        RawTerraformBaseline.Figures terraform = new RawTerraformBaseline.Figures(RawTerraformBaseline.Way.PLAIN, 2, 2,
                2, Duration.ofSeconds(2), 1.0, LatencyStats.of(List.of(Duration.ofMillis(1900), Duration.ofMillis(2000))),
                null);
        RawTerraformBaseline.Figures lean = new RawTerraformBaseline.Figures(RawTerraformBaseline.Way.LOCAL_BUILD, 2, 2,
                1, Duration.ofSeconds(1), 1.6, LatencyStats.of(List.of(Duration.ofMillis(900))), "terraform apply exited with 1");
        // closed loop: two requests, the last email 2.5 s after the first submission -> 0.8 requests/s
        PipelineFigures closed = PipelineFigures.from("closed loop",
                List.of(request("a", 0, 1000, 200), request("b", 1000, 1000, 500)));
        PipelineFigures fixed = PipelineFigures.from("fixed rate 10/s",
                List.of(request("c", 0, 1000, 80), request("d", 100, 1000, 90)));
        Map<String, Double> closedCpu = new LinkedHashMap<>();
        closedCpu.put("provisioner-service", 0.4);
        closedCpu.put(CpuMeter.TERRAFORM, 1.2);
        closedCpu.put(CpuMeter.SELF, 0.2);
        closedCpu.put(CpuMeter.OTHER, 0.2);
        CpuMeter.Usage closedUsage = new CpuMeter.Usage(closedCpu, Map.of("provisioner-service", 0.1), 2.0, 2.5, true);
        return new BenchReport(T0, "./oneclick bench --requests 2", machine, options, kafka, terraform, lean,
                List.of(new BenchReport.InventoryRun(0, Duration.ZERO, Duration.ofSeconds(60), closed, fixed,
                        closedUsage, CpuMeter.Usage.NONE)));
    }

    @Test
    void cpuTableGivesEachProcessesSecondsPerRequestAndShareOfTheBusyTime() throws Exception {
        // when
        BenchReport report = report();

        // then two requests completed in the closed loop: 0.4 s of provisioner CPU is 200 ms per request
        assertThat(report.markdown()).contains("CPU by process, inventory 0 rows")
                .contains("| provisioner-service | 0.40 | 200 | 20 % | 50.0 |")
                .contains("| " + CpuMeter.TERRAFORM + " | 1.20 | 600 | 60 % |  |");
        JsonNode json = JsonMapper.builder().build().readTree(report.json());
        assertThat(json.at("/pipeline/0/closedLoopCpuSeconds/machineBusy").asDouble()).isEqualTo(2.0);
        assertThat(json.at("/pipeline/0/closedLoopCpuSeconds/jitCompilerThreads/provisioner-service").asDouble())
                .isEqualTo(0.1);
        assertThat(json.at("/pipeline/0/fixedRateCpuSeconds").isNull()).isTrue();
    }

    @Test
    void ratiosAndTargetVerdictsComeFromTheRuns() {
        // when
        BenchReport report = report();

        // then
        assertThat(report.throughputRatio()).isEqualTo(0.8);
        assertThat(report.markdown())
                .contains("| pipeline / raw Terraform throughput | 80 % | ≥ 80 % | met |")
                .contains("| pipeline / Terraform as the local build runs it | 50 % | – | for reading (no target) |")
                .contains("| Terraform as the local build | 1/2 stacks, parallelism 2, as the local build: one initialised "
                        + "directory, apply -json per stack | 1.60 stacks/s |")
                .contains("first Terraform error (as the local build: one initialised directory, apply -json per stack):"
                        + " terraform apply exited with 1")
                .contains("| overhead per request p50, ms (at 10 requests/s) | 80.0 | ≤ 100 at 10/s | met |")
                .contains("| throughput at 100,000 rows / at 0 rows | – | ≥ 70 % | not run (--scale) |")
                .contains("./oneclick bench --requests 2")
                .contains("2 cores (Test CPU), 8.0 GiB RAM, OpenJDK 17");
    }

    @Test
    void jsonHoldsEveryFigureAndNullWhereThereIsNone() throws Exception {
        // when
        JsonNode json = JsonMapper.builder().build().readTree(report().json());

        // then
        assertThat(json.at("/rawTerraform/stacksPerSecond").asDouble()).isEqualTo(1.0);
        assertThat(json.at("/pipeline/0/closedLoop/requestsPerSecond").asDouble()).isEqualTo(0.8);
        assertThat(json.at("/pipeline/0/fixedRate/stagesMs/OVERHEAD/p99").asDouble()).isEqualTo(90.0);
        assertThat(json.at("/ratios/pipelineOverRawTerraformThroughput").asDouble()).isEqualTo(0.8);
        assertThat(json.at("/ratios/pipelineOverLocalBuildTerraformThroughput").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/terraformAsLocalBuild/succeeded").asInt()).isEqualTo(1);
        assertThat(json.at("/rawTerraform/way").asText()).isEqualTo("a working directory per stack: init + apply");
        assertThat(json.at("/ratios/throughput100000RowsOver0Rows").isNull()).isTrue();
        assertThat(json.at("/machine/cores").asInt()).isEqualTo(2);
    }

    @Test
    void textTableListsEveryStageForBothRuns() {
        // when
        String text = report().text();

        // then
        for (RequestTimeline.Stage stage : RequestTimeline.Stage.values()) {
            assertThat(text).contains(stage.label());
        }
        assertThat(text).contains("closed p50").contains("rate p99").contains("raw Kafka").contains("raw Terraform");
    }
}
