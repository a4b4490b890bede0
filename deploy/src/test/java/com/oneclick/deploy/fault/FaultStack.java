package com.oneclick.deploy.fault;

import com.oneclick.deploy.ApproverCredentials;
import com.oneclick.deploy.KafkaBroker;
import com.oneclick.deploy.Ports;
import com.oneclick.deploy.RemoteRepository;
import com.oneclick.deploy.ServiceProcess;
import com.oneclick.deploy.ServiceSpec;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole stack for the fault tests, each part on its own so a scenario can break just one: the
 * real Kafka broker as a child process ({@link KafkaBroker}, the one {@code ./oneclick up} runs, so it
 * can be stopped and started again on the same port with its data), a restartable SMTP server
 * ({@link Mailbox}), a bare repository that can be taken away and brought back, and the four services
 * from their exec jars, each startable, stoppable and killable with its own extra environment.
 */
final class FaultStack implements AutoCloseable {

    static final Duration STARTUP = Duration.ofMinutes(4);
    private static final List<String> SERVICE_JVM_OPTIONS =
            List.of("-Xms64m", "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
    private static final List<String> BROKER_JVM_OPTIONS =
            List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC");

    static final String APPROVER = "fault-approver";
    final String approverPassword = ApproverCredentials.randomPassword(20);

    private final Path temp;
    private final Path logDir;
    private final KafkaBroker broker;
    private ServiceProcess kafka;
    final Mailbox mailbox;
    final Path remote;
    private final Path hiddenRemote;
    private final Map<ServiceSpec, ServiceProcess> processes = new EnumMap<>(ServiceSpec.class);
    private final Map<ServiceSpec, Integer> ports = new EnumMap<>(ServiceSpec.class);

    private FaultStack(Path temp, Path logDir) {
        this.temp = temp;
        this.logDir = logDir;
        this.broker = new KafkaBroker(temp.resolve("kafka"), logDir.resolve("kafka.log"), Ports.freePort(),
                Ports.freePort(), BROKER_JVM_OPTIONS, launcherClasspath());
        this.mailbox = new Mailbox(Ports.freePort());
        this.remote = temp.resolve("remote.git");
        this.hiddenRemote = temp.resolve("remote.git.away");
        for (ServiceSpec spec : ServiceSpec.values()) {
            ports.put(spec, Ports.freePort());
        }
    }

    /** Starts everything: broker (topics created), mail server, bare repository, the four services. */
    static FaultStack start(Path temp, Path logDir) {
        FaultStack stack = new FaultStack(temp, logDir);
        try {
            stack.startBroker();
            stack.broker.createTopics(Duration.ofSeconds(30));
            stack.mailbox.start();
            RemoteRepository.ensureBare(stack.remote);
            for (ServiceSpec spec : ServiceSpec.values()) {
                stack.launch(spec, Map.of());
            }
            stack.awaitHealthy(List.of(ServiceSpec.values()));
            return stack;
        } catch (RuntimeException | Error e) {
            System.out.println(stack.logTails(60));
            stack.close();
            throw e;
        }
    }

    String kafkaBootstrap() {
        return broker.bootstrapServers();
    }

    String baseUrl(ServiceSpec spec) {
        return "http://127.0.0.1:" + ports.get(spec);
    }

    ServiceProcess process(ServiceSpec spec) {
        return processes.get(spec);
    }

    // ---- services ----

    /** Starts a service (stopped before) with extra environment variables and waits until it is healthy. */
    void startService(ServiceSpec spec, Map<String, String> extraEnv) {
        launch(spec, extraEnv);
        awaitHealthy(List.of(spec));
    }

    /** Starts the services (stopped before) together and waits until all of them are healthy. */
    void startServices(Collection<ServiceSpec> specs) {
        specs.forEach(spec -> launch(spec, Map.of()));
        awaitHealthy(specs);
    }

    /** Starts a service without waiting for it: for a run that is expected to end by itself. */
    void launch(ServiceSpec spec, Map<String, String> extraEnv) {
        ServiceProcess running = processes.get(spec);
        if (running != null && running.isAlive()) {
            throw new IllegalStateException(spec.module() + " is still running");
        }
        Path jar = Path.of(requiredProperty("oneclick.e2e." + spec.module() + ".jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no exec jar " + jar + " (build the services first)");
        }
        processes.put(spec, ServiceProcess.builder(spec.module())
                .javaJar(jar, SERVICE_JVM_OPTIONS)
                .env(environment(spec))
                // a fault switch in the test's own environment must not reach a run that asks for none
                .withoutEnv("ONECLICK_FAULT_HALT_AT")
                .env(extraEnv)
                .workDir(temp.resolve(spec.module()))
                .logFile(logDir.resolve(spec.module() + ".log"))
                .start());
    }

    /** SIGTERM (a clean shutdown: consumers leave their groups), SIGKILL after the grace period. */
    void stopServices(Collection<ServiceSpec> specs) {
        ServiceProcess.inParallel(specs.stream().map(processes::get).toList(),
                process -> process.stop(Duration.ofSeconds(30)));
    }

    private void awaitHealthy(Collection<ServiceSpec> specs) {
        // JVMs starting together on a small machine: wait for them side by side.
        CompletableFuture.allOf(specs.stream()
                .map(spec -> CompletableFuture.runAsync(() -> processes.get(spec).awaitHealthy(
                                URI.create(baseUrl(spec) + spec.healthPath()), STARTUP),
                        runnable -> new Thread(runnable, "await-" + spec.module()).start()))
                .toArray(CompletableFuture[]::new)).join();
    }

    private Map<String, String> environment(ServiceSpec spec) {
        Map<String, String> env = new LinkedHashMap<>(spec.loopbackEnv());
        env.put("ONECLICK_PORT", String.valueOf(ports.get(spec)));
        env.put("ONECLICK_KAFKA_BOOTSTRAP", broker.bootstrapServers());
        env.put("ONECLICK_DATA_DIR", temp.resolve(spec.module()).resolve("data").toString());
        switch (spec) {
            case APPROVAL -> {
                env.put("ONECLICK_APPROVAL_USERS_0_USERNAME", APPROVER);
                env.put("ONECLICK_APPROVAL_USERS_0_PASSWORD", ApproverCredentials.bcryptHash(approverPassword));
                env.put("ONECLICK_APPROVAL_USERS_0_EMAIL", "approver@fault.example.com");
                env.put("ONECLICK_APPROVAL_USERS_0_ROLES_0", "APPROVER");
            }
            case PROVISIONER -> {
                env.put("ONECLICK_GIT_REMOTE", remote.toString());
                env.put("ONECLICK_TERRAFORM_MODULES", requiredProperty("oneclick.e2e.terraform-modules"));
            }
            case NOTIFIER -> {
                env.put("ONECLICK_SMTP_HOST", "127.0.0.1");
                env.put("ONECLICK_SMTP_PORT", String.valueOf(mailbox.port()));
            }
            default -> {
            }
        }
        return env;
    }

    // ---- the broker ----

    private void startBroker() {
        broker.prepare(Duration.ofSeconds(120));
        kafka = broker.start();
        broker.awaitReady(kafka, STARTUP);
    }

    /** Stops the broker cleanly (SIGTERM) and starts it again on the same ports with the same data. */
    void restartBroker() {
        kafka.stop(Duration.ofSeconds(60));
        startBroker();
    }

    // ---- the git remote ----

    /** The bare repository is gone (renamed away): pushes fail as if the server were unreachable. */
    void takeRemoteAway() {
        move(remote, hiddenRemote);
    }

    void bringRemoteBack() {
        move(hiddenRemote, remote);
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    // ---- logs ----

    /** How many lines of a service's log file (all its runs) contain {@code text}. */
    long logLinesContaining(ServiceSpec spec, String text) {
        Path file = logDir.resolve(spec.module() + ".log");
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(text)).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    String logTails(int lines) {
        StringBuilder text = new StringBuilder();
        if (kafka != null) {
            text.append("==== last lines of ").append(kafka.logFile()).append(" ====\n")
                    .append(kafka.logTail(20)).append('\n');
        }
        for (ServiceProcess process : processes.values()) {
            text.append("==== last lines of ").append(process.logFile()).append(process.isAlive() ? "" : " (exited)")
                    .append(" ====\n").append(process.logTail(lines)).append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() {
        ServiceProcess.inParallel(processes.values(), process -> process.stop(Duration.ofSeconds(20)));
        mailbox.stop();
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(30));
        }
    }

    // ---- helpers ----

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name
                    + " is not set (Failsafe sets it in deploy/pom.xml)");
        }
        return value;
    }

    /**
     * The launcher's own classpath, as {@code ./oneclick up} runs the broker with it: this module's
     * classes and {@code target/lib/*} (copied there by the package phase).
     */
    private static String launcherClasspath() {
        try {
            Path classes = Path.of(KafkaBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = classes.getParent().resolve("lib");
            if (!Files.isDirectory(lib)) {
                throw new IllegalStateException("no " + lib + ": run the package phase of deploy first");
            }
            return classes + File.pathSeparator + lib.resolve("*");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
