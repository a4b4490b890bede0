package com.oneclick.deploy.bench;

import com.oneclick.model.RequestIds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The Terraform baseline: {@code stacks} stacks of {@code terraform/local/ec2-instance}, each with the pipeline's
 * tfvars shape, its own state file and its own {@code TF_DATA_DIR}, built {@code parallelism} at a
 * time without OneClick. One build is what the local build runs per stack: {@code init} (local
 * backend, the stack's state path), {@code apply -auto-approve -var-file=…} and {@code output -json},
 * with a shared plugin cache.
 */
public final class RawTerraformBaseline {

    /** The figures: stacks per second over the whole run, and the time of one stack's build. */
    public record Figures(int stacks, int parallelism, int succeeded, Duration span, double stacksPerSecond,
                          LatencyStats build, String firstError) {
    }

    private final String terraform;
    private final Path module;
    private final Path workDir;

    public RawTerraformBaseline(String terraform, Path module, Path workDir) {
        this.terraform = terraform;
        this.module = module.toAbsolutePath().normalize();
        this.workDir = workDir.toAbsolutePath().normalize();
    }

    public Figures run(int stacks, int parallelism, Duration timeout) {
        List<Duration> builds = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        long start = System.nanoTime();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < stacks; i++) {
                int n = i;
                runs.add(pool.submit(() -> {
                    long began = System.nanoTime();
                    String error = build(RequestIds.newId(), n, timeout);
                    if (error == null) {
                        builds.add(Duration.ofNanos(System.nanoTime() - began));
                    } else {
                        errors.add(error);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Terraform baseline failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Duration span = Duration.ofNanos(System.nanoTime() - start);
        return new Figures(stacks, parallelism, builds.size(), span, Throughput.perSecond(builds.size(), span),
                LatencyStats.of(builds), errors.isEmpty() ? null : errors.get(0));
    }

    /** One stack's init, apply and output; null when it worked, else what went wrong. */
    private String build(String id, int n, Duration timeout) throws IOException, InterruptedException {
        Path buildDir = workDir.resolve("builds").resolve(id);
        Path state = workDir.resolve("state").resolve(id).resolve("terraform.tfstate");
        Path pluginCache = workDir.resolve("plugin-cache");
        Files.createDirectories(buildDir);
        Files.createDirectories(state.getParent());
        Files.createDirectories(pluginCache);
        Path varFile = buildDir.resolve(BenchRequests.TFVARS);
        Files.write(varFile, BenchRequests.tfvars(id, BenchRequests.request("raw", n)));
        Map<String, String> env = Map.of(
                "TF_DATA_DIR", buildDir.resolve(".terraform").toString(),
                "TF_IN_AUTOMATION", "1",
                "TF_INPUT", "0",
                "TF_PLUGIN_CACHE_DIR", pluginCache.toString(),
                "CHECKPOINT_DISABLE", "1");
        List<List<String>> steps = List.of(
                List.of("init", "-input=false", "-no-color", "-reconfigure", "-backend-config=path=" + state),
                List.of("apply", "-auto-approve", "-input=false", "-no-color", "-var-file=" + varFile),
                List.of("output", "-json", "-no-color"));
        for (List<String> step : steps) {
            List<String> command = new ArrayList<>(List.of(terraform, "-chdir=" + module));
            command.addAll(step);
            Path log = buildDir.resolve(step.get(0) + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(buildDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("ONECLICK_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return "terraform " + step.get(0) + " did not finish within " + timeout.toSeconds() + " s";
            }
            if (process.exitValue() != 0) {
                return "terraform " + step.get(0) + " exited with " + process.exitValue() + ": "
                        + tail(log);
            }
        }
        return null;
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.length() <= 500 ? text : "…" + text.substring(text.length() - 500);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
