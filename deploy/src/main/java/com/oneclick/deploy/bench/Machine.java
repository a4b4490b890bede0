package com.oneclick.deploy.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The machine a benchmark ran on, as the results print it. */
public record Machine(int cores, long memoryBytes, String cpu, String os, String jdk, String terraform) {

    public static Machine describe(String terraformBin) {
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), memory, cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                terraformVersion(terraformBin));
    }

    public String summary() {
        return cores + " cores" + (cpu.isEmpty() ? "" : " (" + cpu + ")") + ", "
                + (memoryBytes > 0 ? String.format("%.1f GiB RAM", memoryBytes / (1024.0 * 1024 * 1024)) : "RAM unknown")
                + ", " + jdk + ", " + os + ", " + terraform;
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).strip();
                    }
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "";
    }

    private static String terraformVersion(String bin) {
        try {
            Process process = new ProcessBuilder(bin, "version").redirectErrorStream(true).start();
            process.getOutputStream().close();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
                // the first line may be a warning about the CLI configuration
                return text.lines().map(String::strip).filter(l -> l.startsWith("Terraform v")).findFirst()
                        .orElse("Terraform (version unknown)");
            }
        } catch (IOException e) {
            return "Terraform not found (" + bin + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "Terraform (version unknown)";
    }
}
