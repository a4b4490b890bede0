package com.oneclick.deploy.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CpuMeterTest {

    @TempDir
    Path proc;

    @Test
    void splitsTheMachinesBusyTimeIntoTheStacksProcessesTerraformTheBenchmarkAndTheRest() throws IOException {
        // given two readings of a /proc: the provisioner (pid 20, a name with a space and a parenthesis)
        // spent 3 s itself and reaped 5 s of Terraform children, kafka 1 s, the benchmark 0.5 s,
        // and the machine was busy 12 s (idle and iowait do not count)
        CpuMeter meter = new CpuMeter(proc);
        write(100, 100, 0, 0, 100, 50, 0, 0, 1000, 2000, 10, 10);
        CpuMeter.Sample before = meter.sample(Map.of("kafka", 10L, "provisioner-service", 20L), "provisioner-service");
        write(150, 150, 200, 100, 400, 250, 30, 20, 1600, 2600, 10 + 900, 10 + 300);

        // when
        CpuMeter.Usage usage = CpuMeter.between(before, meter.sample(
                Map.of("kafka", 10L, "provisioner-service", 20L), "provisioner-service"));

        // then
        assertThat(usage.available()).isTrue();
        assertThat(usage.seconds().get("kafka")).isCloseTo(1.0, within(1e-9));
        assertThat(usage.seconds().get("provisioner-service")).isCloseTo(3.0, within(1e-9));
        assertThat(usage.seconds().get(CpuMeter.TERRAFORM)).isCloseTo(5.0, within(1e-9));
        assertThat(usage.seconds().get(CpuMeter.SELF)).isCloseTo(0.5, within(1e-9));
        assertThat(usage.machineBusySeconds()).isCloseTo(12.0, within(1e-9));
        assertThat(usage.seconds().get(CpuMeter.OTHER)).isCloseTo(12.0 - 1 - 3 - 5 - 0.5, within(1e-9));
    }

    @Test
    void countsTheJitCompilerThreadsOfEachJvm() throws IOException {
        // given kafka (pid 10) with a C2 and a C1 compiler thread and a network thread, the benchmark with
        // one C2 compiler thread; between the readings the compilers spent 0.7 s and 0.2 s, the network
        // thread 2 s, and a C1 compiler thread of kafka that ended took its time with it
        CpuMeter meter = new CpuMeter(proc);
        write(100, 100, 0, 0, 0, 0, 0, 0, 1000, 2000, 10, 10);
        thread("10", "101", "C2 CompilerThre", 40, 10);
        thread("10", "102", "C1 CompilerThre", 5, 5);
        thread("10", "103", "C1 CompilerThre", 30, 0);
        thread("10", "104", "data-plane-kafk", 100, 50);
        thread("self", "201", "C2 CompilerThre", 0, 0);
        CpuMeter.Sample before = meter.sample(Map.of("kafka", 10L, "provisioner-service", 20L), "provisioner-service");
        write(300, 300, 0, 0, 0, 0, 50, 0, 2000, 3000, 20, 20);
        thread("10", "101", "C2 CompilerThre", 90, 30);
        thread("10", "102", "C1 CompilerThre", 5, 5);
        Files.delete(proc.resolve("10").resolve("task").resolve("103").resolve("stat"));
        Files.delete(proc.resolve("10").resolve("task").resolve("103"));
        thread("10", "104", "data-plane-kafk", 250, 100);
        thread("self", "201", "C2 CompilerThre", 15, 5);

        // when
        CpuMeter.Usage usage = CpuMeter.between(before, meter.sample(
                Map.of("kafka", 10L, "provisioner-service", 20L), "provisioner-service"));

        // then (the ended thread's 0.3 s before the first reading come off: a lower bound, never negative)
        assertThat(usage.seconds().get("kafka")).isCloseTo(4.0, within(1e-9));
        assertThat(usage.compilerSeconds().get("kafka")).isCloseTo(0.4, within(1e-9));
        assertThat(usage.compilerSeconds().get("provisioner-service")).isZero();
        assertThat(usage.compilerSeconds().get(CpuMeter.SELF)).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void saysTheFiguresAreUnavailableWithoutProc() {
        CpuMeter meter = new CpuMeter(proc.resolve("missing"));

        CpuMeter.Sample sample = meter.sample(Map.of("kafka", 10L), "kafka");

        assertThat(CpuMeter.between(sample, sample).available()).isFalse();
    }

    /** Writes /proc/10/stat (kafka), /proc/20/stat (provisioner), /proc/self/stat and /proc/stat. */
    private void write(long kafkaUser, long kafkaSystem, long provUser, long provSystem, long provChildUser,
                       long provChildSystem, long selfUser, long selfSystem, long busyUser, long busySystem,
                       long idle, long iowait) throws IOException {
        stat("10", "java", kafkaUser, kafkaSystem, 0, 0);
        stat("20", "java (x) y", provUser, provSystem, provChildUser, provChildSystem);
        stat("self", "java", selfUser, selfSystem, 0, 0);
        Files.writeString(proc.resolve("stat"), "cpu  " + busyUser + " 0 " + busySystem + " " + idle + " " + iowait
                + " 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n");
    }

    private void thread(String pid, String tid, String name, long user, long system) throws IOException {
        Path task = proc.resolve(pid).resolve("task").resolve(tid);
        Files.createDirectories(task);
        Files.writeString(task.resolve("stat"), tid + " (" + name + ") S 1 1 1 0 -1 4194304 10 0 0 0 "
                + user + " " + system + " 0 0 20 0 30 0 100 1000 50\n");
    }

    private void stat(String pid, String name, long user, long system, long childUser, long childSystem)
            throws IOException {
        Files.createDirectories(proc.resolve(pid));
        Files.writeString(proc.resolve(pid).resolve("stat"), "1234 (" + name + ") S 1 1 1 0 -1 4194304 10 0 0 0 "
                + user + " " + system + " " + childUser + " " + childSystem + " 20 0 30 0 100 1000 50\n");
    }
}
