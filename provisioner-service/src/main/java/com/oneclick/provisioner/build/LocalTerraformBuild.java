package com.oneclick.provisioner.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.oneclick.model.RequestIds;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.provisioner.git.StackRepository;
import com.oneclick.provisioner.stack.TfvarsWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The local build: runs the Terraform CLI itself on the pushed commit, each stack against its
 * product's module, {@code <modules dir>/<product module>} ({@code terraform/local/ec2-instance},
 * {@code terraform/local/aurora-mysql}: by default modules that only simulate the resource). Every
 * product of the catalog must have its module directory there, which the constructor checks.
 *
 * <p>Each module has one working directory, {@code TF_DATA_DIR} {@code <dataDir>/terraform/<module>/.terraform},
 * initialised at its first build in this process with the local backend's {@code workspace_dir}
 * set to {@code <dataDir>/state}; nothing is written into the module directory. Per stack: the
 * commit's {@code stacks/<id>/terraform.tfvars.json} (read from the commit, not the working tree) is
 * copied to {@code <dataDir>/builds/<id>/}, and {@code terraform apply -json} runs in the stack's own
 * workspace, named by the request ID ({@code TF_WORKSPACE}), so its state is
 * {@code <dataDir>/state/<id>/terraform.tfstate} and one stack never touches another. The outputs
 * come from the apply's own {@code outputs} message: one Terraform process per stack, where an
 * init, an apply and an output per stack cost twice the CPU. The apply's stdout (JSON lines) and
 * stderr stay in the build directory ({@code apply.out}, {@code apply.err}); the init's in the
 * module's working directory. A request's product never changes, so a stack always belongs to one module.
 *
 * <p>Terraform runs at a lower CPU priority ({@code niceness}, through {@code nice -n}; 0 runs it at
 * the service's own): on a machine shared with the platform's services, a build then yields the CPU
 * to the request, approval and mail work, which is short, instead of queueing it behind a plan.
 * Where no {@code nice} command exists, Terraform runs at the service's priority (logged once).
 *
 * <p>Builds run on a pool of {@code parallelism} threads, so independent stacks apply side by side
 * and {@link #start} / {@link #status} return at once. Every module shares one plugin cache. The
 * build ID names the request and the commit, so after a restart {@link #status} recognises a build
 * it no longer tracks and runs it again: {@code terraform apply} on the same state converges to the
 * same resource.
 */
public final class LocalTerraformBuild implements BuildSystem, AutoCloseable {

    public static final String MODE = "local";
    static final int REASON_MAX = 2000;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");
    private static final Logger log = LoggerFactory.getLogger(LocalTerraformBuild.class);

    private final StackRepository repository;
    private final Path dataDir;
    private final String terraform;
    /** What runs before the terraform command: {@code nice -n <niceness>}, or nothing. */
    private final List<String> launcher;
    private final Path modulesDir;
    /** Product name → its module directory (absolute). */
    private final Map<String, Path> modules;
    private final Duration timeout;
    private final ExecutorService pool;
    private final Map<String, Future<BuildStatus>> builds = new ConcurrentHashMap<>();
    /** Module directory name → its initialised working directory; also the lock of initialising one. */
    private final Map<String, WorkingDirectory> initialised = new HashMap<>();
    private volatile Runnable changed = () -> {
    };

    /** The build for the standard catalog's products. */
    public LocalTerraformBuild(StackRepository repository, Path dataDir, String terraformBin, Path modulesDir,
                               Duration timeout, int parallelism) {
        this(repository, dataDir, terraformBin, modulesDir, ProductCatalog.standard(), timeout, parallelism, 0);
    }

    /**
     * @param modulesDir the directory holding one module directory per product ({@code terraform/local})
     * @param niceness   0 to 19: how much lower than the service's the Terraform processes' CPU priority is
     * @throws IllegalStateException when a product's module directory or the terraform binary is missing
     */
    public LocalTerraformBuild(StackRepository repository, Path dataDir, String terraformBin, Path modulesDir,
                               ProductCatalog catalog, Duration timeout, int parallelism, int niceness) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("oneclick.build.parallelism must be at least 1");
        }
        if (niceness < 0 || niceness > 19) {
            throw new IllegalArgumentException("oneclick.build.terraform.niceness must be from 0 to 19");
        }
        this.repository = repository;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.modulesDir = modulesDir.toAbsolutePath().normalize();
        this.modules = checkModules(this.modulesDir, catalog);
        this.terraform = findExecutable(terraformBin);
        this.launcher = launcher(niceness);
        this.timeout = timeout;
        this.pool = Executors.newFixedThreadPool(parallelism, daemonThreads());
        log.info("Local build: {} on the modules in {} ({}), {} at a time{}", terraform, this.modulesDir,
                String.join(", ", modules.keySet()), parallelism,
                launcher.isEmpty() ? "" : ", at niceness " + niceness);
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public boolean simulated() {
        return true;
    }

    @Override
    public Optional<String> start(String requestId, String commitId, Product product) {
        checkId(requestId);
        Path module = module(product);
        String buildId = buildId(requestId, commitId);
        builds.computeIfAbsent(buildId, id -> submit(requestId, commitId, id, product, module));
        return Optional.of(buildId);
    }

    @Override
    public BuildStatus status(String requestId, String commitId, String buildId, Product product) {
        checkId(requestId);
        if (!buildId(requestId, commitId).equals(buildId)) {
            throw new IllegalArgumentException("build " + buildId + " is not the local build of this stack");
        }
        Path module = module(product);
        Future<BuildStatus> build = builds.computeIfAbsent(buildId, id -> submit(requestId, commitId, id, product,
                module));
        if (!build.isDone()) {
            return BuildStatus.RUNNING;
        }
        builds.remove(buildId, build);
        try {
            return build.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("build " + buildId + " could not run", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void whenChanged(Runnable listener) {
        changed = listener;
    }

    /** Runs the build on the pool and, once its result can be read, says so. */
    private Future<BuildStatus> submit(String requestId, String commitId, String buildId, Product product,
                                       Path module) {
        CompletableFuture<BuildStatus> build = CompletableFuture.supplyAsync(
                () -> apply(requestId, commitId, buildId, product, module), pool);
        build.whenComplete((status, error) -> changed.run());
        return build;
    }

    /** Stops the pool; running Terraform processes are stopped with it. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** {@code local-<request ID>-<12 characters of the commit>}: the same stack at the same commit, the same build. */
    static String buildId(String requestId, String commitId) {
        if (commitId == null || !commitId.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("not a commit ID");
        }
        return "local-" + requestId + "-" + commitId.substring(0, 12);
    }

    /** The module directory of a product of the catalog this build was made with. */
    private Path module(Product product) {
        Path module = product == null ? null : modules.get(product.name());
        if (module == null) {
            throw new IllegalArgumentException("no module for product " + (product == null ? null : product.name())
                    + " in " + modulesDir);
        }
        return module;
    }

    private BuildStatus apply(String requestId, String commitId, String buildId, Product product, Path module) {
        Path buildDir = dataDir.resolve("builds").resolve(requestId);
        Path varFile = buildDir.resolve(TfvarsWriter.FILE_NAME);
        try {
            Files.createDirectories(buildDir);
            Files.write(varFile, repository.readStackFile(commitId, requestId, TfvarsWriter.FILE_NAME));
            WorkingDirectory workingDirectory = workingDirectory(module);
            if (workingDirectory.failure() != null) {
                return workingDirectory.failure();
            }
            Map<String, String> env = new LinkedHashMap<>(workingDirectory.env());
            env.put("TF_WORKSPACE", requestId);
            log.info("Build {} of {} at {}: terraform apply of {}", buildId, requestId, commitId, module);
            Run apply = run(module, buildDir, "apply", env, List.of("apply", "-auto-approve", "-input=false",
                    "-no-color", "-json", "-var-file=" + varFile));
            ApplyLog result = ApplyLog.read(apply.stdout());
            if (!apply.succeeded()) {
                String errors = result.errors();
                return new BuildStatus.Failed("apply", errors.isEmpty() || apply.timedOut()
                        ? apply.reason("terraform apply") : failureReason(errors, "terraform apply failed"));
            }
            if (result.outputs() == null) {
                return new BuildStatus.Failed("output", "terraform apply reported no outputs");
            }
            try {
                return new BuildStatus.Succeeded(TerraformOutputs.read(result.outputs(), product));
            } catch (IOException e) {
                // the apply ran, but the module broke the output contract: a failed build, not a retry
                return new BuildStatus.Failed("output", "terraform output does not fit the module contract: "
                        + e.getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("build " + buildId + " of " + requestId + " could not run", e);
        }
    }

    /**
     * A product module's working directory: {@code TF_DATA_DIR} {@code <dataDir>/terraform/<module>},
     * initialised once per module and process (so a module changed between two runs of the service is
     * initialised again), with the local backend's {@code workspace_dir} set to {@code <dataDir>/state}.
     * Every stack of the module applies in it, in its own workspace (the request ID), whose state is
     * {@code <dataDir>/state/<requestId>/terraform.tfstate}: no init per stack, and stacks never share a state.
     * Workers apply side by side in it: an apply only reads the working directory.
     */
    private WorkingDirectory workingDirectory(Path module) throws IOException {
        synchronized (initialised) {
            String name = module.getFileName().toString();
            WorkingDirectory ready = initialised.get(name);
            if (ready != null) {
                return ready;
            }
            Path workDir = dataDir.resolve("terraform").resolve(name);
            Path stateDir = dataDir.resolve("state");
            Path pluginCache = dataDir.resolve("plugin-cache");
            Files.createDirectories(workDir);
            Files.createDirectories(stateDir);
            Files.createDirectories(pluginCache);
            Map<String, String> env = Map.of(
                    "TF_DATA_DIR", workDir.resolve(".terraform").toString(),
                    "TF_IN_AUTOMATION", "1",
                    "TF_INPUT", "0",
                    "TF_PLUGIN_CACHE_DIR", pluginCache.toString(),
                    "CHECKPOINT_DISABLE", "1");
            log.info("Initialising the working directory {} of {}", workDir, module);
            Run init = run(module, workDir, "init", env, List.of("init", "-input=false", "-no-color", "-reconfigure",
                    "-backend-config=workspace_dir=" + stateDir));
            if (!init.succeeded()) {
                // not remembered: the next build tries again (the module may be mended meanwhile)
                return new WorkingDirectory(env, new BuildStatus.Failed("init", init.reason("terraform init")));
            }
            WorkingDirectory initialisedDir = new WorkingDirectory(env, null);
            initialised.put(name, initialisedDir);
            return initialisedDir;
        }
    }

    /** The environment that runs Terraform in a module's working directory, or why it could not be initialised. */
    private record WorkingDirectory(Map<String, String> env, BuildStatus.Failed failure) {
    }

    /**
     * What {@code terraform apply -json} reported: the last {@code outputs} message (the values
     * after the apply; a sensitive output has none) and the error diagnostics. Lines that are not
     * JSON (a crash) are skipped; the caller then falls back to the process's own output.
     */
    record ApplyLog(String outputs, String errors) {

        private static final ObjectMapper JSON = JsonMapper.builder().build();

        static ApplyLog read(String jsonLines) {
            String outputs = null;
            List<String> errors = new ArrayList<>();
            for (String line : jsonLines.split("\n")) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode message;
                try {
                    message = JSON.readTree(line);
                } catch (IOException e) {
                    continue;
                }
                String type = message.path("type").asText();
                if (type.equals("outputs") && message.path("outputs").isObject()) {
                    outputs = message.path("outputs").toString();
                } else if (type.equals("diagnostic")
                        && message.path("diagnostic").path("severity").asText().equals("error")) {
                    JsonNode diagnostic = message.path("diagnostic");
                    String detail = diagnostic.path("detail").asText("").strip();
                    errors.add("Error: " + diagnostic.path("summary").asText("").strip()
                            + (detail.isEmpty() ? "" : "\n\n" + detail));
                }
            }
            return new ApplyLog(outputs, String.join("\n\n", errors));
        }
    }

    // ---- running the CLI ---------------------------------------------------------------------------

    private record Run(int exitCode, boolean timedOut, String stdout, String stderr, Duration timeout) {

        boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        String reason(String step) {
            if (timedOut) {
                return step + " did not finish within " + timeout.toSeconds() + " s and was stopped";
            }
            return failureReason(stderr.isBlank() ? stdout : stderr, step + " exited with " + exitCode);
        }
    }

    private Run run(Path module, Path buildDir, String step, Map<String, String> env, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(terraform);
        command.add("-chdir=" + module);
        command.addAll(args);
        Path out = buildDir.resolve(step + ".out");
        Path err = buildDir.resolve(step + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(buildDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // the CLI needs nothing of ours: keep the service's settings (and secrets) out of its environment
        builder.environment().keySet().removeIf(key -> key.startsWith("ONECLICK_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy(process);
            throw new IOException("interrupted while terraform " + step + " ran", e);
        }
        if (!finished) {
            destroy(process);
        }
        return new Run(finished ? process.exitValue() : -1, !finished, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), timeout);
    }

    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Terraform's own words, from its first {@code Error:} on, without colour codes, trimmed to
     * {@value #REASON_MAX} characters.
     */
    static String failureReason(String text, String fallback) {
        String clean = ANSI.matcher(text == null ? "" : text).replaceAll("").replace("\r", "");
        int error = clean.indexOf("Error: ");
        if (error >= 0) {
            clean = clean.substring(error);
        }
        clean = clean.strip();
        if (clean.isEmpty()) {
            return fallback;
        }
        return clean.length() <= REASON_MAX ? clean : clean.substring(0, REASON_MAX - 1).strip() + "…";
    }

    // ---- startup checks ------------------------------------------------------------------------------

    /** Every product's module directory, {@code <modulesDir>/<module>}, each holding .tf files. */
    private static Map<String, Path> checkModules(Path modulesDir, ProductCatalog catalog) {
        String setting = "Set oneclick.build.terraform.modules-dir (ONECLICK_TERRAFORM_MODULES) to the directory that "
                + "holds one module directory per product (" + String.join(", ",
                catalog.products().stream().map(Product::module).toList()) + "), e.g. terraform/local, relative to "
                + "the working directory or absolute.";
        if (!Files.isDirectory(modulesDir)) {
            throw new IllegalStateException("The Terraform modules directory " + modulesDir + " does not exist. "
                    + setting);
        }
        Map<String, Path> modules = new LinkedHashMap<>();
        for (Product product : catalog.products()) {
            Path dir = modulesDir.resolve(product.module()).normalize();
            if (!dir.getParent().equals(modulesDir) || !Files.isDirectory(dir)) {
                throw new IllegalStateException("The Terraform modules directory " + modulesDir + " has no module "
                        + "directory " + product.module() + "/ for the product " + product.name() + ". " + setting);
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.tf")) {
                if (!files.iterator().hasNext()) {
                    throw new IllegalStateException("The Terraform module directory " + dir + " (product "
                            + product.name() + ") holds no .tf file.");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Terraform module directory " + dir, e);
            }
            modules.put(product.name(), dir);
        }
        return java.util.Collections.unmodifiableMap(modules);
    }

    private static List<String> launcher(int niceness) {
        if (niceness == 0) {
            return List.of();
        }
        Optional<String> nice = onPath("nice");
        if (nice.isEmpty()) {
            log.warn("No 'nice' command on the PATH: Terraform runs at the service's CPU priority");
            return List.of();
        }
        return List.of(nice.get(), "-n", String.valueOf(niceness));
    }

    private static Optional<String> onPath(String bin) {
        String pathVar = System.getenv("PATH");
        for (String dir : pathVar == null ? new String[0] : pathVar.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, bin);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static String findExecutable(String bin) {
        if (bin == null || bin.isBlank()) {
            throw new IllegalStateException("oneclick.build.terraform.bin (ONECLICK_TERRAFORM_BIN) is empty");
        }
        if (bin.contains("/") || bin.contains(File.separator)) {
            Path path = Path.of(bin).toAbsolutePath().normalize();
            if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                return path.toString();
            }
        } else {
            Optional<String> found = onPath(bin);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new IllegalStateException("The Terraform CLI '" + bin + "' was not found or is not executable. Install "
                + "Terraform or set oneclick.build.terraform.bin (ONECLICK_TERRAFORM_BIN) to its path.");
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "terraform-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void checkId(String requestId) {
        if (!RequestIds.isValid(requestId)) {
            throw new IllegalArgumentException("not a request ID");
        }
    }
}
