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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A Terraform baseline: {@code stacks} stacks of {@code terraform/local/ec2-instance}, each with the
 * pipeline's tfvars shape and its own state file, built {@code parallelism} at a time without
 * OneClick, with one plugin cache. Two ways ({@link Way}):
 * <ul>
 *   <li>{@link Way#PLAIN}, the raw Terraform baseline the throughput target is held against: each
 *       stack in a working directory of its own, as one applies stacks by hand, {@code init} (local
 *       backend, the stack's state path) and {@code apply -auto-approve -var-file=…}, which prints
 *       the outputs;</li>
 *   <li>{@link Way#LOCAL_BUILD}, Terraform's part of the provisioner's local build alone: one
 *       working directory, initialised once with {@code workspace_dir}, and per stack
 *       {@code apply -json} in the stack's workspace ({@code TF_WORKSPACE}), the outputs read from
 *       its {@code outputs} message. What the pipeline cannot go below.</li>
 * </ul>
 */
public final class RawTerraformBaseline {

    /** How each stack is applied. */
    public enum Way {
        PLAIN("a working directory per stack: init + apply"),
        LOCAL_BUILD("as the local build: one initialised directory, apply -json per stack");

        private final String description;

        Way(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** The figures: stacks per second over the whole run, and the time of one stack's build. */
    public record Figures(Way way, int stacks, int parallelism, int succeeded, Duration span, double stacksPerSecond,
                          LatencyStats build, String firstError) {
    }

    private static final Map<String, String> ENV = Map.of(
            "TF_IN_AUTOMATION", "1",
            "TF_INPUT", "0",
            "CHECKPOINT_DISABLE", "1");

    private final String terraform;
    private final Path module;
    private final Path workDir;

    public RawTerraformBaseline(String terraform, Path module, Path workDir) {
        this.terraform = terraform;
        this.module = module.toAbsolutePath().normalize();
        this.workDir = workDir.toAbsolutePath().normalize();
    }

    public Figures run(Way way, int stacks, int parallelism, Duration timeout) {
        Path runDir = workDir.resolve(way.name().toLowerCase(Locale.ROOT));
        List<Duration> builds = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        long start = System.nanoTime();
        try {
            Map<String, String> shared = way == Way.LOCAL_BUILD ? initShared(runDir, timeout) : null;
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < stacks; i++) {
                int n = i;
                runs.add(pool.submit(() -> {
                    long began = System.nanoTime();
                    String id = RequestIds.newId();
                    String error = shared == null ? buildPlain(runDir, id, n, timeout)
                            : buildShared(runDir, shared, id, n, timeout);
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
        } catch (IOException e) {
            throw new UncheckedIOException("the Terraform baseline failed", e);
        } finally {
            pool.shutdownNow();
        }
        Duration span = Duration.ofNanos(System.nanoTime() - start);
        return new Figures(way, stacks, parallelism, builds.size(), span, Throughput.perSecond(builds.size(), span),
                LatencyStats.of(builds), errors.isEmpty() ? null : errors.get(0));
    }

    /** One stack's init and apply in its own working directory; null when it worked, else what went wrong. */
    private String buildPlain(Path runDir, String id, int n, Duration timeout) throws IOException, InterruptedException {
        Path buildDir = runDir.resolve("builds").resolve(id);
        Path state = runDir.resolve("state").resolve(id).resolve("terraform.tfstate");
        Files.createDirectories(state.getParent());
        Path varFile = tfvars(buildDir, id, n);
        Map<String, String> env = new HashMap<>(ENV);
        env.put("TF_DATA_DIR", buildDir.resolve(".terraform").toString());
        env.put("TF_PLUGIN_CACHE_DIR", pluginCache(runDir).toString());
        String error = terraform(buildDir, env, timeout, "init", "-input=false", "-no-color", "-reconfigure",
                "-backend-config=path=" + state);
        return error != null ? error
                : terraform(buildDir, env, timeout, "apply", "-auto-approve", "-input=false", "-no-color",
                "-var-file=" + varFile);
    }

    /** The environment of the one working directory of {@link Way#LOCAL_BUILD}, initialised. */
    private Map<String, String> initShared(Path runDir, Duration timeout) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(runDir.resolve("working-directory"));
        Map<String, String> env = new HashMap<>(ENV);
        env.put("TF_DATA_DIR", dir.resolve(".terraform").toString());
        env.put("TF_PLUGIN_CACHE_DIR", pluginCache(runDir).toString());
        String error = terraform(dir, env, timeout, "init", "-input=false", "-no-color", "-reconfigure",
                "-backend-config=workspace_dir=" + Files.createDirectories(runDir.resolve("state")));
        if (error != null) {
            throw new IllegalStateException("the Terraform baseline could not initialise its working directory: "
                    + error);
        }
        return Map.copyOf(env);
    }

    /** One stack's apply -json in its workspace of the shared working directory; null when it gave the outputs. */
    private String buildShared(Path runDir, Map<String, String> shared, String id, int n, Duration timeout)
            throws IOException, InterruptedException {
        Path buildDir = runDir.resolve("builds").resolve(id);
        Path varFile = tfvars(buildDir, id, n);
        Map<String, String> env = new HashMap<>(shared);
        env.put("TF_WORKSPACE", id);
        String error = terraform(buildDir, env, timeout, "apply", "-auto-approve", "-input=false", "-no-color",
                "-json", "-var-file=" + varFile);
        if (error == null && !Files.readString(buildDir.resolve("apply.log"), StandardCharsets.UTF_8)
                .contains("\"type\":\"outputs\"")) {
            return "terraform apply -json reported no outputs";
        }
        return error;
    }

    private static Path tfvars(Path buildDir, String id, int n) throws IOException {
        Files.createDirectories(buildDir);
        Path varFile = buildDir.resolve(BenchRequests.TFVARS);
        Files.write(varFile, BenchRequests.tfvars(id, BenchRequests.request("raw", n)));
        return varFile;
    }

    private static Path pluginCache(Path runDir) throws IOException {
        return Files.createDirectories(runDir.resolve("plugin-cache"));
    }

    /** Runs one command in the module, its output in {@code <dir>/<command>.log}; null when it exited 0. */
    private String terraform(Path dir, Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(terraform, "-chdir=" + module));
        command.addAll(List.of(args));
        Path log = dir.resolve(args[0] + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("ONECLICK_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return "terraform " + args[0] + " did not finish within " + timeout.toSeconds() + " s";
        }
        return process.exitValue() == 0 ? null
                : "terraform " + args[0] + " exited with " + process.exitValue() + ": " + tail(log);
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
