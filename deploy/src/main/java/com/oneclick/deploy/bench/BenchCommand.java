package com.oneclick.deploy.bench;

import com.oneclick.deploy.ServiceSpec;
import com.oneclick.deploy.StackSettings;
import com.oneclick.deploy.UpCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./oneclick bench}: for each inventory size, a fresh local stack (the same start-up as
 * {@code ./oneclick up}, in {@code .oneclick/bench/<time>/inventory-<rows>}, never the user's
 * state), optionally seeded with existing rows and stacks. The Terraform baselines run once, before
 * any stack starts, the raw Kafka baseline once, on the first stack; then for each stack a warm-up,
 * the closed-loop run and the fixed-rate run through the public interfaces. Prints
 * the tables and writes {@code results.json} and {@code results.md} next to the runs.
 */
public final class BenchCommand {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    /** Stacks of each Terraform baseline's warm-up run. */
    static final int TERRAFORM_WARMUP_STACKS = 20;

    private final Path root;
    private final Map<String, String> env;
    private final PrintStream out;

    public BenchCommand(Path root, Map<String, String> env, PrintStream out) {
        this.root = root;
        this.env = env;
        this.out = out;
    }

    public int run(BenchOptions options) {
        Instant startedAt = Instant.now();
        Path benchDir = root.resolve(".oneclick").resolve("bench").resolve(STAMP.format(startedAt));
        String terraformBin = env.getOrDefault("ONECLICK_TERRAFORM_BIN", "terraform");
        Path module = root.resolve("terraform/local")
                .resolve(BenchRequests.product(BenchRequests.request("raw", 0)).module());
        Machine machine = Machine.describe(terraformBin);
        out.println("OneClick benchmark: " + machine.summary());
        out.println("Runs in " + benchDir);

        CpuMeter cpu = new CpuMeter();
        RawKafkaBaseline.Figures kafka = null;
        // The Terraform baselines first, before any stack starts: on a quiet machine, not next to four
        // services still starting up. Like the pipeline and the raw Kafka baseline, they are measured
        // warm: each way once first with a few stacks, not counted (cold, the first run measured up to
        // a third less than the next ones).
        Path rawTerraformDir = benchDir.resolve("raw-terraform");
        RawTerraformBaseline raw = new RawTerraformBaseline(terraformBin, module, rawTerraformDir);
        out.printf("%nBaselines: Terraform, warm-up (not counted) ...%n");
        RawTerraformBaseline warmup = new RawTerraformBaseline(terraformBin, module, rawTerraformDir.resolve("warm-up"));
        for (RawTerraformBaseline.Way way : RawTerraformBaseline.Way.values()) {
            warmup.run(way, Math.min(options.requests(), TERRAFORM_WARMUP_STACKS), options.parallelism(),
                    Duration.ofMinutes(10));
        }
        Map<RawTerraformBaseline.Way, RawTerraformBaseline.Figures> terraform = new HashMap<>();
        for (RawTerraformBaseline.Way way : RawTerraformBaseline.Way.values()) {
            out.printf("Baseline: Terraform, %d stacks, parallelism %d, %s ...%n", options.requests(),
                    options.parallelism(), way.description());
            terraform.put(way, raw.run(way, options.requests(), options.parallelism(), Duration.ofMinutes(10)));
        }
        if (!options.keepState()) {
            deleteTree(rawTerraformDir);
        }
        List<BenchReport.InventoryRun> runs = new ArrayList<>();
        for (int rows : options.inventorySizes()) {
            Path runDir = benchDir.resolve("inventory-" + rows);
            Map<String, String> stackEnv = new HashMap<>(env);
            stackEnv.put(StackSettings.STATE_DIR, runDir.toString());
            StackSettings settings = StackSettings.from(root, stackEnv);

            long seedStart = System.nanoTime();
            if (rows > 0) {
                out.printf("%nSeeding %d inventory rows and stacks ...%n", rows);
                InventorySeeder.Seeded seeded = InventorySeeder.seed(settings.remoteRepository(),
                        env.getOrDefault("ONECLICK_GIT_BRANCH", "main"), settings.dataDir(ServiceSpec.PROVISIONER), rows);
                out.printf("  seeded %d rows in %s, commit %s%n", seeded.rows(), seeded.inventoryFile(), seeded.commitId());
            }
            Duration seeding = Duration.ofNanos(System.nanoTime() - seedStart);

            out.printf("%nStarting the stack for inventory %d rows ...%n", rows);
            UpCommand up = new UpCommand(root, stackEnv, out);
            long upStart = System.nanoTime();
            try {
                UpCommand.Started started = up.start();
                Duration startup = Duration.ofNanos(System.nanoTime() - upStart);
                try (EventRecorder recorder = new EventRecorder(settings.kafkaBootstrap())) {
                    if (kafka == null) {
                        out.printf("%nBaseline: raw Kafka, %d events through %d hops ...%n", options.requests(),
                                RawKafkaBaseline.HOPS);
                        List<byte[]> bodies = BenchRequests.eventBodies(BenchRequests.request("raw", 0));
                        // The same run first on other topics, not counted: the plain clients are measured
                        // warm, as the services are after their warm-up requests.
                        new RawKafkaBaseline(settings.kafkaBootstrap(), "bench.raw-warmup." + STAMP.format(startedAt))
                                .run(options.requests(), bodies, options.timeout());
                        kafka = new RawKafkaBaseline(settings.kafkaBootstrap(), "bench.raw." + STAMP.format(startedAt))
                                .run(options.requests(), bodies, options.timeout());
                    }
                    PipelineDriver driver = new PipelineDriver(settings.port(ServiceSpec.REQUEST),
                            settings.port(ServiceSpec.APPROVAL), started.approver().username(),
                            started.approver().password(), recorder, out);
                    if (options.warmup() > 0) {
                        out.printf("%nWarm-up: %d requests (not counted) ...%n", options.warmup());
                        driver.run("warmup", options.warmup(), 0, options.timeout());
                    }
                    Map<String, Long> pids = new LinkedHashMap<>();
                    up.stack().all().forEach(p -> pids.put(p.name(), p.pid()));
                    String provisioner = ServiceSpec.PROVISIONER.module();
                    out.printf("Closed loop: %d requests ...%n", options.requests());
                    CpuMeter.Sample before = cpu.sample(pids, provisioner);
                    List<String> closedIds = driver.run("closed", options.requests(), 0, options.timeout());
                    CpuMeter.Usage closedCpu = CpuMeter.between(before, cpu.sample(pids, provisioner));
                    PipelineFigures closed = PipelineFigures.from("closed loop", recorder.timelines(closedIds));
                    PipelineFigures fixed = null;
                    CpuMeter.Usage fixedCpu = null;
                    if (options.scale().isEmpty()) {
                        out.printf("Fixed rate: %d requests at %s/s ...%n", options.requests(),
                                BenchOptions.format(options.rate()));
                        before = cpu.sample(pids, provisioner);
                        List<String> rateIds = driver.run("rate", options.requests(), options.rate(), options.timeout());
                        fixedCpu = CpuMeter.between(before, cpu.sample(pids, provisioner));
                        fixed = PipelineFigures.from("fixed rate " + BenchOptions.format(options.rate()) + "/s",
                                recorder.timelines(rateIds));
                    }
                    runs.add(new BenchReport.InventoryRun(rows, seeding, startup, closed, fixed, closedCpu, fixedCpu));
                }
            } finally {
                up.stack().stop();
            }
            if (!options.keepState()) {
                removeState(settings);
            }
        }

        BenchReport report = new BenchReport(startedAt, "./oneclick bench " + String.join(" ", options.toArgs()),
                machine, options, kafka, terraform.get(RawTerraformBaseline.Way.PLAIN),
                terraform.get(RawTerraformBaseline.Way.LOCAL_BUILD), runs);
        out.println();
        out.print(report.text());
        try {
            Files.createDirectories(benchDir);
            Path json = benchDir.resolve("results.json");
            Path markdown = benchDir.resolve("results.md");
            Files.writeString(json, report.json(), StandardCharsets.UTF_8);
            Files.writeString(markdown, report.markdown(), StandardCharsets.UTF_8);
            out.println("Results: " + json);
            out.println("         " + markdown);
            out.println("Logs:    " + benchDir + "/inventory-*/logs");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the results to " + benchDir, e);
        }
        return 0;
    }

    /** Removes what a run left but its logs: Kafka's data, the remote, the services' data. */
    private static void removeState(StackSettings settings) {
        List<Path> heavy = new ArrayList<>(List.of(settings.kafkaDir(), settings.remoteRepository()));
        for (ServiceSpec spec : ServiceSpec.values()) {
            heavy.add(settings.dataDir(spec));
        }
        for (Path dir : heavy) {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + dir, e);
        }
    }
}
