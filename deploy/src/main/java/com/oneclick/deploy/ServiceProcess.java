package com.oneclick.deploy;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child process with its own environment and log file: a service's {@code java -jar}, the Kafka
 * broker, GreenMail. Started, waited for until it answers, stopped (gracefully, then forcibly).
 *
 * <p>Children ignore SIGINT: a Ctrl-C in the terminal reaches the whole foreground process group,
 * and the launcher, not the terminal, decides the order in which the children stop (services
 * first, then GreenMail, then Kafka). {@link #stop} sends SIGTERM, which a JVM answers with its
 * normal shutdown.
 */
public final class ServiceProcess {

    /** A readiness check; returning false or throwing means "not yet". */
    @FunctionalInterface
    public interface Probe {
        boolean ready() throws Exception;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private static final Duration POLL = Duration.ofMillis(500);

    private final String name;
    private final Path logFile;
    private final Process process;

    private ServiceProcess(String name, Path logFile, Process process) {
        this.name = name;
        this.logFile = logFile;
        this.process = process;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The JVM that runs this code: children run on the same Java. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    /** Waits until {@code GET url} answers 200, the process exits, or the timeout passes. */
    public void awaitHealthy(URI url, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build();
        awaitReady(timeout, "answer " + url, () -> {
            HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        });
    }

    /**
     * Waits until the probe says ready. Throws a {@link StartupException} carrying the log tail when
     * the process exits first or the timeout passes.
     */
    public void awaitReady(Duration timeout, String what, Probe probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new StartupException(name + " exited with code " + process.exitValue()
                        + " before it was ready; its log is " + logFile, logTail(40));
            }
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted while waiting for " + name);
            } catch (Exception notYet) {
                // not ready yet
            }
            if (System.nanoTime() > deadline) {
                throw new StartupException(name + " did not " + what + " within " + timeout.toSeconds()
                        + " s; its log is " + logFile, logTail(40));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted while waiting for " + name);
            }
        }
    }

    /**
     * Stops the process: SIGTERM, up to {@code grace} for a clean shutdown, then SIGKILL. Processes
     * it started itself (a Terraform run) are killed too if they outlive it.
     */
    public void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * The last {@code lines} lines this run wrote to the log file (the file is appended to across
     * runs; earlier runs are left out).
     */
    public String logTail(int lines) {
        return tail(logFile, lines, banner(name));
    }

    /**
     * The last {@code lines} lines of a text file (at most its last 64 KiB), starting no earlier than
     * the last line that begins with {@code from} if there is one; empty when the file does not exist.
     */
    public static String tail(Path file, int lines, String from) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, 64 * 1024);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int start = from == null ? -1 : text.lastIndexOf(from);
            if (start >= 0) {
                text = text.substring(start);
            }
            List<String> all = Arrays.asList(text.split("\r?\n"));
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static String banner(String name) {
        return "----- " + name + " starting at ";
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    public static final class Builder {

        private final String name;
        private final List<String> command = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Set<String> removedEnv = new LinkedHashSet<>();
        private Path workDir;
        private Path logFile;
        private boolean ignoreInterrupt = true;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        /** {@code java <jvmOptions> -jar <jar>}. */
        public Builder javaJar(Path jar, List<String> jvmOptions) {
            command.clear();
            command.add(javaExecutable());
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(jar.toString());
            return this;
        }

        /** {@code java <jvmOptions> -cp <classpath> <mainClass> <args>}. */
        public Builder javaMain(String classpath, List<String> jvmOptions, String mainClass, List<String> args) {
            command.clear();
            command.add(javaExecutable());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass);
            command.addAll(args);
            return this;
        }

        public Builder command(List<String> fullCommand) {
            command.clear();
            command.addAll(fullCommand);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            removedEnv.remove(key);
            return this;
        }

        public Builder env(Map<String, String> values) {
            values.forEach(this::env);
            return this;
        }

        /** Keeps a variable of the parent's environment (a secret, say) out of the child's. */
        public Builder withoutEnv(String key) {
            env.remove(key);
            removedEnv.add(key);
            return this;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        /** Whether the child ignores SIGINT (default true; see the class comment). */
        public Builder ignoreInterrupt(boolean ignore) {
            this.ignoreInterrupt = ignore;
            return this;
        }

        public ServiceProcess start() {
            if (command.isEmpty()) {
                throw new IllegalStateException("no command for " + name);
            }
            Objects.requireNonNull(logFile, "logFile");
            try {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                Files.writeString(logFile, banner(name) + Instant.now() + " -----"
                                + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                if (workDir != null) {
                    Files.createDirectories(workDir);
                }
                ProcessBuilder builder = new ProcessBuilder(wrapped())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
                if (workDir != null) {
                    builder.directory(workDir.toFile());
                }
                Map<String, String> environment = builder.environment();
                removedEnv.forEach(environment::remove);
                environment.putAll(env);
                Process process = builder.start();
                process.getOutputStream().close();
                return new ServiceProcess(name, logFile, process);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
            }
        }

        private List<String> wrapped() {
            if (!ignoreInterrupt || File.separatorChar != '/' || !Files.isExecutable(Path.of("/bin/sh"))) {
                return command;
            }
            // SIG_IGN survives exec, and a JVM keeps an ignored SIGINT ignored; SIGTERM still works.
            List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\""));
            wrapped.addAll(command);
            return wrapped;
        }
    }

    /** Runs an action on each process in its own thread (e.g. stopping them together) and waits for all. */
    public static void inParallel(Collection<ServiceProcess> processes,
                                  Consumer<ServiceProcess> action) {
        List<Thread> threads = new ArrayList<>();
        for (ServiceProcess process : processes) {
            Thread thread = new Thread(() -> action.accept(process), "process-" + process.name());
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
