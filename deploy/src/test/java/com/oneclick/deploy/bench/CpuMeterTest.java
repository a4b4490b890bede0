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

    private void stat(String pid, String name, long user, long system, long childUser, long childSystem)
            throws IOException {
        Files.createDirectories(proc.resolve(pid));
        Files.writeString(proc.resolve(pid).resolve("stat"), "1234 (" + name + ") S 1 1 1 0 -1 4194304 10 0 0 0 "
                + user + " " + system + " " + childUser + " " + childSystem + " 20 0 30 0 100 1000 50\n");
    }
}
