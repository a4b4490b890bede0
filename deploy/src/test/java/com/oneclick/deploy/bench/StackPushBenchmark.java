package com.oneclick.deploy.bench;

import com.oneclick.model.RequestIds;
import com.oneclick.provisioner.git.StackRepository;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints what one push of the provisioner's {@link StackRepository} costs with {@code bench.rows}
 * stacks already on the branch: the wall time and the process's CPU time of each
 * {@code pushStacks} call (commit and push to a local bare remote, whose receiving side JGit runs in
 * this JVM, as it does in the provisioner), p50 / p95 / max over {@code bench.pushes} pushes of
 * {@code bench.batch} new stacks each, after {@code bench.warmup} pushes not counted. The remote is
 * seeded the way {@code ./oneclick bench --inventory} seeds it ({@link InventorySeeder}).
 *
 * <p>A benchmark, not a test: its name keeps it out of the default run. Run it as the services run
 * (C1 only) with
 * <pre>
 * ./mvnw -B -o -q -pl deploy -am test -Dtest=StackPushBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -DargLine=-XX:TieredStopAtLevel=1 -Dbench.rows=100000 -Dbench.pushes=20
 * </pre>
 * It checks (and fails on) what must hold whatever the speed: every stack pushed is on the remote's
 * branch with its file, in the commit {@code pushStacks} named.
 */
class StackPushBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 100_000);
    private static final int PUSHES = Integer.getInteger("bench.pushes", 20);
    private static final int BATCH = Integer.getInteger("bench.batch", 1);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 5);
    private static final String FILE = "terraform.tfvars.json";

    @TempDir
    Path tmp;

    @Test
    void printsTheCostOfAPush() throws Exception {
        Path remote = tmp.resolve("remote.git");
        long seedStart = System.nanoTime();
        InventorySeeder.seed(remote, "main", tmp.resolve("data"), ROWS);
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        List<Duration> wall = new ArrayList<>();
        List<Duration> cpu = new ArrayList<>();
        Map<String, String> pushedIn = new LinkedHashMap<>();
        try (StackRepository repository = new StackRepository(tmp.resolve("local"), remote.toString(), "main",
                "", "", 3, Duration.ofMillis(100), Duration.ofSeconds(60))) {
            for (int i = 0; i < WARMUP + PUSHES; i++) {
                Map<String, Map<String, byte[]>> stacks = new LinkedHashMap<>();
                for (int b = 0; b < BATCH; b++) {
                    String id = RequestIds.newId();
                    stacks.put(id, Map.of(FILE, tfvars(id)));
                }
                long wallStart = System.nanoTime();
                long cpuStart = os.getProcessCpuTime();
                Map<String, String> commits = repository.pushStacks(stacks, "Provision " + stacks.size() + " stacks");
                if (i >= WARMUP) {
                    wall.add(Duration.ofNanos(System.nanoTime() - wallStart));
                    cpu.add(Duration.ofNanos(os.getProcessCpuTime() - cpuStart));
                }
                pushedIn.putAll(commits);
            }
        }

        assertThat(pushedIn).hasSize((WARMUP + PUSHES) * BATCH);
        try (Repository repo = Git.open(remote.toFile()).getRepository(); RevWalk walk = new RevWalk(repo)) {
            for (Map.Entry<String, String> pushed : pushedIn.entrySet()) {
                String path = "stacks/" + pushed.getKey() + "/" + FILE;
                try (TreeWalk tree = TreeWalk.forPath(repo, path, walk.parseCommit(repo.resolve(pushed.getValue())).getTree())) {
                    assertThat(tree).as(path).isNotNull();
                    assertThat(repo.open(tree.getObjectId(0)).getBytes()).isEqualTo(tfvars(pushed.getKey()));
                }
            }
            assertThat(walk.parseCommit(repo.resolve("refs/heads/main")).name())
                    .isEqualTo(pushedIn.values().stream().reduce((a, b) -> b).orElseThrow());
        }
        System.out.printf("StackPushBenchmark: %,d stacks on the branch (seeded in %.1f s), %d pushes of %d new stack(s) "
                        + "after %d not counted, JVM %s%n  wall ms  %s%n  CPU ms   %s%n", ROWS, seedSeconds, PUSHES, BATCH,
                WARMUP, ManagementFactory.getRuntimeMXBean().getInputArguments(), figures(wall), figures(cpu));
    }

    private static byte[] tfvars(String id) {
        return ("{\"name\":\"bench-" + id + "\",\"instance_type\":\"t3.micro\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String figures(List<Duration> durations) {
        LatencyStats stats = LatencyStats.of(durations);
        return String.format("p50 %.0f  p95 %.0f  max %.0f", stats.p50Ms(), stats.p95Ms(), stats.maxMs());
    }
}
