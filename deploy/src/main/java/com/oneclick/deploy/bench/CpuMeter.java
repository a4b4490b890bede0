package com.oneclick.deploy.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the CPU goes during a run: the CPU time of each process of the stack, of the Terraform
 * processes the provisioner ran (its reaped children), of the benchmark's own JVM (the driver, the
 * event recorder and GreenMail) and of the whole machine, read from Linux's {@code /proc}. On
 * another system every figure is absent and the report says so.
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
    public record Sample(Map<String, Long> processTicks, long terraformTicks, long machineBusyTicks, long nanos,
                         boolean available) {
    }

    /** CPU seconds between two samples, per process in the order sampled, then Terraform, the benchmark, the rest. */
    public record Usage(Map<String, Double> seconds, double machineBusySeconds, double wallSeconds, boolean available) {

        public static final Usage NONE = new Usage(Map.of(), 0, 0, false);
    }

    /** A sample of the processes {@code pids} (name → pid); {@code parentOfTerraform} names the provisioner. */
    public Sample sample(Map<String, Long> pids, String parentOfTerraform) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        long terraform = 0;
        try {
            for (Map.Entry<String, Long> entry : pids.entrySet()) {
                long[] times = processTimes(proc.resolve(String.valueOf(entry.getValue())).resolve("stat"));
                ticks.put(entry.getKey(), times[0] + times[1]);
                if (entry.getKey().equals(parentOfTerraform)) {
                    terraform = times[2] + times[3];
                }
            }
            long[] self = processTimes(proc.resolve("self").resolve("stat"));
            ticks.put(SELF, self[0] + self[1]);
            return new Sample(ticks, terraform, machineBusy(proc.resolve("stat")), System.nanoTime(), true);
        } catch (IOException | RuntimeException e) {
            return new Sample(Map.of(), 0, 0, System.nanoTime(), false);
        }
    }

    public static Usage between(Sample from, Sample to) {
        if (!from.available() || !to.available()) {
            return Usage.NONE;
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
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
        return new Usage(seconds, busy, (to.nanos() - from.nanos()) / 1e9, true);
    }

    /** utime, stime, cutime, cstime of one process: fields 14 to 17 of its stat line. */
    static long[] processTimes(Path stat) throws IOException {
        String line = Files.readString(stat, StandardCharsets.US_ASCII).strip();
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
