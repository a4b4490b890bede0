package com.oneclick.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oneclick.deploy.bench.RequestTimeline.Stage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one {@code ./oneclick bench} measured, and its three renderings: the terminal's text,
 * the Markdown of {@code results.md} and the JSON of {@code results.json}. {@code terraform} is the
 * raw Terraform baseline ({@link RawTerraformBaseline.Way#PLAIN}) the throughput target is held
 * against; {@code terraformAsLocalBuild} the same stacks applied as the local build applies them.
 */
public record BenchReport(Instant startedAt, String command, Machine machine, BenchOptions options,
                          RawKafkaBaseline.Figures kafka, RawTerraformBaseline.Figures terraform,
                          RawTerraformBaseline.Figures terraformAsLocalBuild, List<InventoryRun> runs) {

    /** The targets the figures are held against (measured here, never asserted by a test). */
    public static final double TARGET_THROUGHPUT_RATIO = 0.80;
    public static final double TARGET_OVERHEAD_P50_MS = 100;
    public static final double TARGET_OVERHEAD_P99_MS = 500;
    public static final double TARGET_RATE = 10;
    public static final double TARGET_SCALE_RATIO = 0.70;

    /**
     * The pipeline runs at one inventory size; {@code fixedRate} is null in a --scale run. The CPU
     * usage of each run is {@link CpuMeter.Usage#NONE} where {@code /proc} cannot be read.
     */
    public record InventoryRun(int inventoryRows, Duration seeding, Duration startup, PipelineFigures closedLoop,
                               PipelineFigures fixedRate, CpuMeter.Usage closedCpu, CpuMeter.Usage fixedCpu) {

        public InventoryRun(int inventoryRows, Duration seeding, Duration startup, PipelineFigures closedLoop,
                            PipelineFigures fixedRate) {
            this(inventoryRows, seeding, startup, closedLoop, fixedRate, CpuMeter.Usage.NONE,
                    fixedRate == null ? null : CpuMeter.Usage.NONE);
        }
    }

    // ---- figures derived from the runs ----------------------------------------------------------

    /** Pipeline (closed loop, no seeded inventory or the first size) requests/s over raw Terraform stacks/s. */
    public double throughputRatio() {
        return throughputOver(terraform);
    }

    /** The same over Terraform alone as the local build runs it: how close the pipeline gets to its floor. */
    public double throughputRatioToLocalBuildTerraform() {
        return throughputOver(terraformAsLocalBuild);
    }

    private double throughputOver(RawTerraformBaseline.Figures baseline) {
        return runs.isEmpty() ? Double.NaN
                : Throughput.ratio(runs.get(0).closedLoop().requestsPerSecond(), baseline.stacksPerSecond());
    }

    /** Throughput at {@code rows} relative to throughput at 0 rows; NaN unless both ran. */
    public double scaleRatio(int rows) {
        InventoryRun none = run(0);
        InventoryRun some = run(rows);
        return none == null || some == null ? Double.NaN
                : Throughput.ratio(some.closedLoop().requestsPerSecond(), none.closedLoop().requestsPerSecond());
    }

    private InventoryRun run(int rows) {
        return runs.stream().filter(r -> r.inventoryRows() == rows).findFirst().orElse(null);
    }

    /** The run the overhead target is read from: the fixed-rate run of the first inventory size. */
    private PipelineFigures overheadRun() {
        if (runs.isEmpty()) {
            return null;
        }
        InventoryRun first = runs.get(0);
        return first.fixedRate() != null ? first.fixedRate() : first.closedLoop();
    }

    // ---- rendering --------------------------------------------------------------------------------

    public List<Section> sections() {
        List<Section> sections = new ArrayList<>();
        Table baselines = new Table("baseline", "work", "throughput", "p50 ms", "p95 ms", "p99 ms");
        baselines.row("raw Kafka", kafka.events() + " events × " + kafka.hops() + " hops, ~" + kafka.eventBytes()
                        + " B, acks=all, sync send",
                Table.number(kafka.eventsPerSecond()) + " events/s", Table.number(kafka.latency().p50Ms()),
                Table.number(kafka.latency().p95Ms()), Table.number(kafka.latency().p99Ms()));
        String errors = "";
        for (RawTerraformBaseline.Figures t : List.of(terraform, terraformAsLocalBuild)) {
            baselines.row(t == terraform ? "raw Terraform" : "Terraform as the local build", t.succeeded() + "/"
                            + t.stacks() + " stacks, parallelism " + t.parallelism() + ", " + t.way().description(),
                    Table.number(t.stacksPerSecond()) + " stacks/s", Table.number(t.build().p50Ms()),
                    Table.number(t.build().p95Ms()), Table.number(t.build().p99Ms()));
            if (t.firstError() != null) {
                errors += (errors.isEmpty() ? "" : "; ") + "first Terraform error (" + t.way().description() + "): "
                        + t.firstError();
            }
        }
        sections.add(new Section("Baselines (latency: one event through all hops; one stack's build)", baselines,
                errors.isEmpty() ? null : errors));

        for (InventoryRun run : runs) {
            boolean fixed = run.fixedRate() != null;
            Table pipeline = fixed
                    ? new Table("figure", "closed p50", "closed p95", "closed p99", "rate p50", "rate p95", "rate p99")
                    : new Table("figure", "closed p50", "closed p95", "closed p99");
            pipeline.row(row(fixed, "requests done / failed / sent", countCell(run.closedLoop()),
                    fixed ? countCell(run.fixedRate()) : null));
            pipeline.row(row(fixed, "throughput, requests/s", Table.number(run.closedLoop().requestsPerSecond()),
                    fixed ? Table.number(run.fixedRate().requestsPerSecond()) : null));
            for (Stage stage : Stage.values()) {
                List<String> cells = new ArrayList<>();
                cells.add(stage.label() + ", ms");
                cells.addAll(percentiles(run.closedLoop().stage(stage)));
                if (fixed) {
                    cells.addAll(percentiles(run.fixedRate().stage(stage)));
                }
                pipeline.row(cells.toArray(String[]::new));
            }
            String title = "Pipeline, inventory " + run.inventoryRows() + " rows: closed loop"
                    + (fixed ? " and fixed rate " + BenchOptions.format(options.rate()) + "/s" : "")
                    + " (" + options.requests() + " requests each)";
            String note = "seeding " + seconds(run.seeding()) + " s, stack start-up " + seconds(run.startup()) + " s";
            sections.add(new Section(title, pipeline, note));
            if (run.closedCpu() != null && run.closedCpu().available()) {
                sections.add(cpuSection(run));
            }
        }

        Table targets = new Table("figure", "value", "target", "verdict");
        double ratio = throughputRatio();
        targets.row("pipeline / raw Terraform throughput", percent(ratio), "≥ 80 %",
                verdict(ratio >= TARGET_THROUGHPUT_RATIO, ratio));
        targets.row("pipeline / Terraform as the local build runs it", percent(throughputRatioToLocalBuildTerraform()),
                "–", "for reading (no target)");
        PipelineFigures overhead = overheadRun();
        String where = overhead == null ? "" : overhead == runs.get(0).fixedRate()
                ? " (at " + BenchOptions.format(options.rate()) + " requests/s)" : " (closed loop)";
        boolean atTargetRate = overhead != null && overhead == runs.get(0).fixedRate() && options.rate() == TARGET_RATE;
        LatencyStats o = overhead == null ? LatencyStats.EMPTY : overhead.stage(Stage.OVERHEAD);
        targets.row("overhead per request p50, ms" + where, Table.number(o.p50Ms()), "≤ 100 at 10/s",
                atTargetRate ? verdict(o.p50Ms() <= TARGET_OVERHEAD_P50_MS, o.p50Ms()) : "not at 10/s");
        targets.row("overhead per request p99, ms" + where, Table.number(o.p99Ms()), "≤ 500 at 10/s",
                atTargetRate ? verdict(o.p99Ms() <= TARGET_OVERHEAD_P99_MS, o.p99Ms()) : "not at 10/s");
        double scale = scaleRatio(100_000);
        targets.row("throughput at 100,000 rows / at 0 rows", percent(scale), "≥ 70 %",
                Double.isNaN(scale) ? "not run (--scale)" : verdict(scale >= TARGET_SCALE_RATIO, scale));
        sections.add(new Section("Ratios and targets", targets, null));

        if (runs.size() > 1) {
            Table scaleTable = new Table("inventory rows", "requests/s (closed loop)", "vs 0 rows", "end to end p50 ms",
                    "overhead p50 ms", "start-up s");
            for (InventoryRun run : runs) {
                scaleTable.row(String.valueOf(run.inventoryRows()), Table.number(run.closedLoop().requestsPerSecond()),
                        percent(scaleRatio(run.inventoryRows())),
                        Table.number(run.closedLoop().stage(Stage.END_TO_END).p50Ms()),
                        Table.number(run.closedLoop().stage(Stage.OVERHEAD).p50Ms()), seconds(run.startup()));
            }
            sections.add(new Section("Scale", scaleTable, null));
        }
        return sections;
    }

    /** CPU seconds per process during each run of one inventory size, and per completed request. */
    private Section cpuSection(InventoryRun run) {
        boolean fixed = run.fixedCpu() != null && run.fixedCpu().available();
        Table table = fixed
                ? new Table("process", "closed CPU s", "closed ms/request", "closed share", "closed JIT ms/request",
                "rate CPU s", "rate ms/request", "rate share", "rate JIT ms/request")
                : new Table("process", "closed CPU s", "closed ms/request", "closed share", "closed JIT ms/request");
        for (String process : run.closedCpu().seconds().keySet()) {
            List<String> cells = new ArrayList<>();
            cells.add(process);
            cells.addAll(cpuCells(run.closedCpu(), process, run.closedLoop().completed()));
            if (fixed) {
                cells.addAll(cpuCells(run.fixedCpu(), process, run.fixedRate().completed()));
            }
            table.row(cells.toArray(String[]::new));
        }
        String note = "machine busy " + Table.number(run.closedCpu().machineBusySeconds()) + " CPU s over "
                + Table.number(run.closedCpu().wallSeconds()) + " s (closed loop)"
                + (fixed ? ", " + Table.number(run.fixedCpu().machineBusySeconds()) + " CPU s over "
                + Table.number(run.fixedCpu().wallSeconds()) + " s (fixed rate)" : "")
                + ", of " + machine.cores() + " cores; share = of the machine's busy time; JIT = of a JVM's CPU, its"
                + " JIT compiler threads' (a JVM still compiling is still warming up)";
        return new Section("CPU by process, inventory " + run.inventoryRows() + " rows", table, note);
    }

    private static List<String> cpuCells(CpuMeter.Usage usage, String process, int requests) {
        double seconds = usage.seconds().getOrDefault(process, 0.0);
        Double compiler = usage.compilerSeconds().get(process);
        return List.of(Table.number(seconds), requests == 0 ? "" : Table.number(seconds * 1000 / requests),
                percent(usage.machineBusySeconds() == 0 ? Double.NaN : seconds / usage.machineBusySeconds()),
                compiler == null || requests == 0 ? "" : Table.number(compiler * 1000 / requests));
    }

    /** A titled table with an optional note under it. */
    public record Section(String title, Table table, String note) {
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("OneClick benchmark, ").append(startedAt).append('\n');
        out.append("Machine: ").append(machine.summary()).append('\n');
        out.append("Command: ").append(command).append("\n\n");
        for (Section section : sections()) {
            out.append(section.title()).append('\n').append(section.table().text());
            if (section.note() != null) {
                out.append("  ").append(section.note()).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("Run ").append(startedAt).append(" on ").append(machine.summary()).append(".\n\n");
        out.append("```sh\n").append(command).append("\n```\n\n");
        for (Section section : sections()) {
            out.append("**").append(section.title()).append("**\n\n").append(section.table().markdown());
            if (section.note() != null) {
                out.append('\n').append(section.note()).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    public String json() {
        ObjectMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode root = mapper.createObjectNode();
        root.put("startedAt", startedAt.toString());
        root.put("command", command);
        ObjectNode m = root.putObject("machine");
        m.put("cores", machine.cores());
        m.put("memoryBytes", machine.memoryBytes());
        m.put("cpu", machine.cpu());
        m.put("os", machine.os());
        m.put("jdk", machine.jdk());
        m.put("terraform", machine.terraform());
        ObjectNode o = root.putObject("options");
        o.put("requests", options.requests());
        o.put("rate", options.rate());
        o.put("parallelism", options.parallelism());
        o.put("warmup", options.warmup());
        ArrayNode sizes = o.putArray("inventorySizes");
        options.inventorySizes().forEach(sizes::add);
        ObjectNode k = root.putObject("rawKafka");
        k.put("events", kafka.events());
        k.put("hops", kafka.hops());
        k.put("meanEventBytes", kafka.eventBytes());
        k.put("delivered", kafka.delivered());
        k.put("spanMs", kafka.span().toMillis());
        number(k, "eventsPerSecond", kafka.eventsPerSecond());
        k.set("latencyMs", stats(mapper, kafka.latency()));
        terraform(mapper, root.putObject("rawTerraform"), terraform);
        terraform(mapper, root.putObject("terraformAsLocalBuild"), terraformAsLocalBuild);
        ArrayNode runsNode = root.putArray("pipeline");
        for (InventoryRun run : runs) {
            ObjectNode r = runsNode.addObject();
            r.put("inventoryRows", run.inventoryRows());
            r.put("seedingMs", run.seeding().toMillis());
            r.put("startupMs", run.startup().toMillis());
            r.set("closedLoop", pipeline(mapper, run.closedLoop()));
            cpu(r, "closedLoopCpuSeconds", run.closedCpu());
            if (run.fixedRate() != null) {
                r.set("fixedRate", pipeline(mapper, run.fixedRate()));
                cpu(r, "fixedRateCpuSeconds", run.fixedCpu());
            }
        }
        ObjectNode ratios = root.putObject("ratios");
        number(ratios, "pipelineOverRawTerraformThroughput", throughputRatio());
        number(ratios, "pipelineOverLocalBuildTerraformThroughput", throughputRatioToLocalBuildTerraform());
        PipelineFigures overhead = overheadRun();
        if (overhead != null) {
            number(ratios, "overheadP50Ms", overhead.stage(Stage.OVERHEAD).p50Ms());
            number(ratios, "overheadP99Ms", overhead.stage(Stage.OVERHEAD).p99Ms());
            ratios.put("overheadFrom", overhead.mode());
        }
        number(ratios, "throughput10000RowsOver0Rows", scaleRatio(10_000));
        number(ratios, "throughput100000RowsOver0Rows", scaleRatio(100_000));
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void terraform(ObjectMapper mapper, ObjectNode node, RawTerraformBaseline.Figures figures) {
        node.put("way", figures.way().description());
        node.put("stacks", figures.stacks());
        node.put("parallelism", figures.parallelism());
        node.put("succeeded", figures.succeeded());
        node.put("spanMs", figures.span().toMillis());
        number(node, "stacksPerSecond", figures.stacksPerSecond());
        node.set("buildMs", stats(mapper, figures.build()));
        node.put("firstError", figures.firstError());
    }

    private static ObjectNode pipeline(ObjectMapper mapper, PipelineFigures figures) {
        ObjectNode node = mapper.createObjectNode();
        node.put("mode", figures.mode());
        node.put("requests", figures.requests());
        node.put("completed", figures.completed());
        node.put("failed", figures.failed());
        node.put("spanMs", figures.span().toMillis());
        number(node, "requestsPerSecond", figures.requestsPerSecond());
        ObjectNode stages = node.putObject("stagesMs");
        for (Stage stage : Stage.values()) {
            stages.set(stage.name(), stats(mapper, figures.stage(stage)));
        }
        return node;
    }

    private static ObjectNode stats(ObjectMapper mapper, LatencyStats stats) {
        ObjectNode node = mapper.createObjectNode();
        node.put("count", stats.count());
        number(node, "min", stats.minMs());
        number(node, "p50", stats.p50Ms());
        number(node, "p95", stats.p95Ms());
        number(node, "p99", stats.p99Ms());
        number(node, "max", stats.maxMs());
        number(node, "mean", stats.meanMs());
        return node;
    }

    /** A number, or null when there is none (JSON has no NaN). */
    private static void cpu(ObjectNode run, String field, CpuMeter.Usage usage) {
        if (usage == null || !usage.available()) {
            run.putNull(field);
            return;
        }
        ObjectNode node = run.putObject(field);
        usage.seconds().forEach((process, seconds) -> number(node, process, seconds));
        ObjectNode compiler = node.putObject("jitCompilerThreads");
        usage.compilerSeconds().forEach((process, seconds) -> number(compiler, process, seconds));
        number(node, "machineBusy", usage.machineBusySeconds());
        number(node, "wall", usage.wallSeconds());
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, Math.round(value * 1000) / 1000.0);
        }
    }

    private static String[] row(boolean fixed, String label, String closed, String rate) {
        return fixed ? new String[]{label, closed, "", "", rate, "", ""} : new String[]{label, closed, "", ""};
    }

    private static String countCell(PipelineFigures figures) {
        return figures.completed() + " / " + figures.failed() + " / " + figures.requests();
    }

    private static List<String> percentiles(LatencyStats stats) {
        return List.of(Table.number(stats.p50Ms()), Table.number(stats.p95Ms()), Table.number(stats.p99Ms()));
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format("%.0f %%", ratio * 100);
    }

    private static String verdict(boolean met, double value) {
        return Double.isNaN(value) ? "no figure" : met ? "met" : "missed";
    }

    private static String seconds(Duration d) {
        return String.format("%.1f", d.toMillis() / 1000.0);
    }
}
