package com.oneclick.deploy.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the CPU goes during a run: the CPU time of each process of the stack, of the Terraform
 * processes the provisioner ran (its reaped children), of the benchmark's own JVM (the driver, the
 * event recorder and GreenMail) and of the whole machine, read from Linux's {@code /proc}. On
 * another system every figure is absent and the report says so.
 *
 * <p>Of each JVM's CPU, the part its JIT compiler threads ({@code C1/C2 CompilerThread<n>}, from
 * {@code /proc/<pid>/task/<tid>/stat}) used is counted too: a JVM still compiling its hot code is
 * still warming up, and that work stops once the code is compiled. It is a lower bound: a compiler
 * thread the JVM ends between two samples takes its time with it (the process's total keeps it).
 */
public final class CpuMeter {

    /** Linux's USER_HZ, the unit of the times in {@code /proc/<pid>/stat} and {@code /proc/stat}. */
    static final double TICKS_PER_SECOND = 100;
    static final String SELF = "benchmark JVM (driver, recorder, GreenMail)";
    static final String TERRAFORM = "Terraform (the provisioner's child processes)";
    static final String OTHER = "everything else on the machine";

    private final Path proc;

    public CpuMeter() {
        this(Path.of("/proc"));
    }

    CpuMeter(Path proc) {
        this.proc = proc;
    }

    /** CPU ticks so far of each followed process, of the provisioner's reaped children, of the machine. */
    public record Sample(Map<String, Long> processTicks, Map<String, Long> compilerTicks, long terraformTicks,
                         long machineBusyTicks, long nanos, boolean available) {
    }

    /**
     * CPU seconds between two samples, per process in the order sampled, then Terraform, the benchmark,
     * the rest; {@code compilerSeconds}: of a JVM's seconds, those of its JIT compiler threads.
     */
    public record Usage(Map<String, Double> seconds, Map<String, Double> compilerSeconds, double machineBusySeconds,
                        double wallSeconds, boolean available) {

        public static final Usage NONE = new Usage(Map.of(), Map.of(), 0, 0, false);
    }

    /** A sample of the processes {@code pids} (name → pid); {@code parentOfTerraform} names the provisioner. */
    public Sample sample(Map<String, Long> pids, String parentOfTerraform) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        Map<String, Long> compiler = new LinkedHashMap<>();
        long terraform = 0;
        try {
            for (Map.Entry<String, Long> entry : pids.entrySet()) {
                Path process = proc.resolve(String.valueOf(entry.getValue()));
                long[] times = processTimes(process.resolve("stat"));
                ticks.put(entry.getKey(), times[0] + times[1]);
                compiler.put(entry.getKey(), compilerTicks(process));
                if (entry.getKey().equals(parentOfTerraform)) {
                    terraform = times[2] + times[3];
                }
            }
            Path self = proc.resolve("self");
            long[] selfTimes = processTimes(self.resolve("stat"));
            ticks.put(SELF, selfTimes[0] + selfTimes[1]);
            compiler.put(SELF, compilerTicks(self));
            return new Sample(ticks, compiler, terraform, machineBusy(proc.resolve("stat")), System.nanoTime(), true);
        } catch (IOException | RuntimeException e) {
            return new Sample(Map.of(), Map.of(), 0, 0, System.nanoTime(), false);
        }
    }

    /** utime + stime of the process's JIT compiler threads (named {@code C1/C2 CompilerThre}, cut to 15 characters). */
    static long compilerTicks(Path process) throws IOException {
        Path tasks = process.resolve("task");
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                String line;
                try {
                    line = Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (NoSuchFileException ended) {
                    continue;
                }
                String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    long[] times = times(line);
                    ticks += times[0] + times[1];
                }
            }
        }
        return ticks;
    }

    public static Usage between(Sample from, Sample to) {
        if (!from.available() || !to.available()) {
            return Usage.NONE;
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Double> compiler = new LinkedHashMap<>();
        to.compilerTicks().forEach((process, ticks) -> compiler.put(process,
                Math.max(0, ticks - from.compilerTicks().getOrDefault(process, 0L)) / TICKS_PER_SECOND));
        double accounted = 0;
        for (Map.Entry<String, Long> entry : to.processTicks().entrySet()) {
            if (entry.getKey().equals(SELF)) {
                continue;
            }
            double s = (entry.getValue() - from.processTicks().getOrDefault(entry.getKey(), 0L)) / TICKS_PER_SECOND;
            seconds.put(entry.getKey(), s);
            accounted += s;
        }
        double terraform = (to.terraformTicks() - from.terraformTicks()) / TICKS_PER_SECOND;
        seconds.put(TERRAFORM, terraform);
        double self = (to.processTicks().get(SELF) - from.processTicks().get(SELF)) / TICKS_PER_SECOND;
        seconds.put(SELF, self);
        double busy = (to.machineBusyTicks() - from.machineBusyTicks()) / TICKS_PER_SECOND;
        seconds.put(OTHER, Math.max(0, busy - accounted - terraform - self));
        return new Usage(seconds, compiler, busy, (to.nanos() - from.nanos()) / 1e9, true);
    }

    /** utime, stime, cutime, cstime of one process: fields 14 to 17 of its stat line. */
    static long[] processTimes(Path stat) throws IOException {
        return times(Files.readString(stat, StandardCharsets.US_ASCII));
    }

    private static long[] times(String statLine) {
        String line = statLine.strip();
        // the command name (field 2) is in parentheses and may hold spaces: count from after its ')'
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        return new long[]{Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                Long.parseLong(fields[14])};
    }

    /** Ticks the machine spent on anything but idle and I/O wait, from the first line of /proc/stat. */
    static long machineBusy(Path stat) throws IOException {
        String first = Files.readAllLines(stat, StandardCharsets.US_ASCII).get(0);
        String[] f = first.trim().split("\\s+");
        long total = 0;
        // cpu user nice system idle iowait irq softirq steal (guest times are already in user)
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            total += Long.parseLong(f[i]);
        }
        return total - Long.parseLong(f[4]) - (f.length > 5 ? Long.parseLong(f[5]) : 0);
    }
}
