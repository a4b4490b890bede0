package com.oneclick.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code ./oneclick up}: checks the ports, starts Kafka, GreenMail, the bare remote and the four
 * services, prints where everything is, and runs until Ctrl-C.
 */
public final class UpCommand {

    private final Path root;
    private final Map<String, String> env;
    private final PrintStream out;
    private final RunningStack stack;

    public UpCommand(Path root, Map<String, String> env, PrintStream out) {
        this.root = root;
        this.env = env;
        this.out = out;
        this.stack = new RunningStack(out);
    }

    public RunningStack stack() {
        return stack;
    }

    /** What {@link #start} started: the settings it used, the local approver, the mail server. */
    public record Started(StackSettings settings, ApproverCredentials approver, MailServer mailServer) {
    }

    /** Starts everything and blocks while it runs. Returns the exit code. */
    int run() {
        Started started = start();
        printSummary(started.settings(), started.approver(), started.mailServer());
        return watch();
    }

    /**
     * Checks the ports, starts Kafka, GreenMail, the bare remote (unless it exists) and the four
     * services, and returns once every one answers; {@link #stack()} stops them. Also used by
     * {@code ./oneclick bench}.
     */
    public Started start() {
        StackSettings settings = StackSettings.from(root, env);
        ApproverCredentials approver = ApproverCredentials.from(env);
        Path greenmailJar = root.resolve("deploy/target/greenmail-standalone.jar");
        requireBuilt(greenmailJar);

        Ports.requireFree(settings.portClaims());

        createDirectories(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "oneclick-stop"));
        out.println("OneClick local stack: state in " + settings.stateDir() + ", logs in " + settings.logsDir());

        startKafka(settings);
        MailServer mailServer = startMail(settings, greenmailJar);

        if (RemoteRepository.ensureBare(settings.remoteRepository())) {
            out.printf("  %-20s created %s%n", "git remote", settings.remoteRepository());
        }

        startServices(settings, approver);
        return new Started(settings, approver, mailServer);
    }

    private void requireBuilt(Path greenmailJar) {
        List<Path> missing = new ArrayList<>();
        for (ServiceSpec spec : ServiceSpec.values()) {
            if (!Files.isRegularFile(spec.execJar(root))) {
                missing.add(spec.execJar(root));
            }
        }
        if (!Files.isRegularFile(greenmailJar)) {
            missing.add(greenmailJar);
        }
        if (!missing.isEmpty()) {
            throw new StartupException("not built yet: " + missing.stream().map(root::relativize).toList()
                    + "; run ./oneclick up (it builds first) or ./mvnw -B -DskipTests package");
        }
    }

    private static void createDirectories(StackSettings settings) {
        try {
            Files.createDirectories(settings.logsDir());
            Files.createDirectories(settings.kafkaDir());
            for (ServiceSpec spec : ServiceSpec.values()) {
                Files.createDirectories(settings.dataDir(spec));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + settings.stateDir(), e);
        }
    }

    private void startKafka(StackSettings settings) {
        long start = System.nanoTime();
        KafkaBroker broker = new KafkaBroker(settings.kafkaDir(), settings.logsDir().resolve("kafka.log"),
                settings.kafkaPort(), settings.kafkaControllerPort(), settings.kafkaJvmOptions(),
                absoluteClasspath());
        if (broker.prepare(Duration.ofSeconds(120))) {
            out.printf("  %-20s formatted %s (first start)%n", "kafka storage", broker.dataDir());
        }
        ServiceProcess kafka = broker.start();
        stack.kafka(kafka);
        broker.awaitReady(kafka, settings.startupTimeout());
        broker.createTopics(Duration.ofSeconds(30));
        out.printf("  %-20s ready on %s (%.1f s)%n", "kafka", broker.bootstrapServers(), seconds(start));
    }

    private MailServer startMail(StackSettings settings, Path jar) {
        long start = System.nanoTime();
        MailServer mailServer = new MailServer(jar, settings.logsDir().resolve("greenmail.log"),
                settings.smtpPort(), settings.mailUiPort());
        ServiceProcess mail = mailServer.start(settings.stateDir());
        stack.mail(mail);
        mailServer.awaitReady(mail, settings.startupTimeout());
        out.printf("  %-20s ready: SMTP 127.0.0.1:%d, mail at %s (%.1f s)%n", "greenmail",
                settings.smtpPort(), mailServer.apiUrl(), seconds(start));
        return mailServer;
    }

    private void startServices(StackSettings settings, ApproverCredentials approver) {
        long start = System.nanoTime();
        Map<ServiceSpec, ServiceProcess> processes = new EnumMap<>(ServiceSpec.class);
        for (ServiceSpec spec : ServiceSpec.values()) {
            ServiceProcess process = ServiceProcess.builder(spec.module())
                    .javaJar(spec.execJar(root), settings.jvmOptions(spec))
                    .env(serviceEnv(spec, settings, approver))
                    .withoutEnv(ApproverCredentials.PASSWORD)
                    .workDir(settings.dataDir(spec))
                    .logFile(settings.logsDir().resolve(spec.module() + ".log"))
                    .start();
            stack.service(process);
            processes.put(spec, process);
        }
        out.printf("  %-20s starting %d services (a minute or two on a small machine) ...%n", "services",
                processes.size());
        // Wait for all at once, and stop at the first that fails rather than after the slowest.
        ExecutorService waiters = Executors.newFixedThreadPool(processes.size());
        try {
            CompletionService<Void> waits = new ExecutorCompletionService<>(waiters);
            processes.forEach((spec, process) -> waits.submit(() -> {
                process.awaitHealthy(healthUrl(spec, settings), settings.startupTimeout());
                out.printf("  %-20s ready on http://127.0.0.1:%d (%.1f s)%n", spec.module(), settings.port(spec),
                        seconds(start));
                return null;
            }));
            for (int i = 0; i < processes.size(); i++) {
                try {
                    waits.take().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StartupException startup) {
                        throw startup;
                    }
                    throw new StartupException("waiting for the services failed: " + e.getCause(), null, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for the services");
        } finally {
            waiters.shutdownNow();
        }
    }

    /** The environment of one service in the local stack. */
    static Map<String, String> serviceEnv(ServiceSpec spec, StackSettings settings, ApproverCredentials approver) {
        Map<String, String> env = new LinkedHashMap<>(spec.loopbackEnv());
        env.put("ONECLICK_PORT", String.valueOf(settings.port(spec)));
        env.put("ONECLICK_KAFKA_BOOTSTRAP", settings.kafkaBootstrap());
        env.put("ONECLICK_DATA_DIR", settings.dataDir(spec).toString());
        switch (spec) {
            case APPROVAL -> env.putAll(approver.approvalServiceEnv());
            case PROVISIONER -> {
                env.put("ONECLICK_GIT_REMOTE", settings.remoteRepository().toString());
                env.put("ONECLICK_TERRAFORM_MODULES", settings.root().resolve("terraform/local").toString());
            }
            case NOTIFIER -> {
                env.put("ONECLICK_SMTP_HOST", "127.0.0.1");
                env.put("ONECLICK_SMTP_PORT", String.valueOf(settings.smtpPort()));
                env.put("ONECLICK_APPROVALS_URL", "http://127.0.0.1:" + settings.port(ServiceSpec.APPROVAL)
                        + "/approvals");
            }
            default -> {
            }
        }
        return env;
    }

    /** This JVM's classpath with absolute entries, for children that run in another directory. */
    static String absoluteClasspath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    static URI healthUrl(ServiceSpec spec, StackSettings settings) {
        return URI.create("http://127.0.0.1:" + settings.port(spec) + spec.healthPath());
    }

    private void printSummary(StackSettings settings, ApproverCredentials approver, MailServer mail) {
        String request = "http://127.0.0.1:" + settings.port(ServiceSpec.REQUEST);
        String approval = "http://127.0.0.1:" + settings.port(ServiceSpec.APPROVAL);
        String provisioner = "http://127.0.0.1:" + settings.port(ServiceSpec.PROVISIONER);
        String notifier = "http://127.0.0.1:" + settings.port(ServiceSpec.NOTIFIER);
        String f = "  %-14s %s%n";
        out.println();
        out.println("OneClick is running (local build: Terraform on terraform/local, no cloud resource is created).");
        out.println();
        out.printf(f, "Request form", request + "/   (ask for an instance; /requests?email=<you> lists yours)");
        out.printf(f, "Requests API", request + "/api/requests   (POST a request; GET /api/requests/{id} for its status;"
                + " OpenAPI at /v3/api-docs)");
        out.printf(f, "Approvals", approval + "/approvals   (the approvals page; sign in as the approver below)");
        out.printf(f, "", approval + "/api/approvals?status=PENDING   (the API, HTTP Basic)");
        out.printf(f, "Inventory", provisioner + "/api/inventory   (JSON; -H 'Accept: text/csv' for the CSV)");
        out.printf(f, "Mail reader", mail.apiUrl() + "   (GreenMail API page)");
        out.printf(f, "", "curl " + mail.messagesUrl("<recipient-email>"));
        out.printf(f, "", "mail is kept in memory only: it is gone after a restart");
        out.printf(f, "Health", request + ServiceSpec.REQUEST.healthPath());
        out.printf(f, "", approval + ServiceSpec.APPROVAL.healthPath());
        out.printf(f, "", provisioner + ServiceSpec.PROVISIONER.healthPath());
        out.printf(f, "", notifier + ServiceSpec.NOTIFIER.healthPath());
        out.printf(f, "Kafka", settings.kafkaBootstrap());
        out.printf(f, "Git remote", settings.remoteRepository() + "   (git clone it to see the stacks)");
        out.printf(f, "Approver", "user '" + approver.username() + "', password '" + approver.password() + "'"
                + (approver.generated() ? "   (generated for this run; set " + ApproverCredentials.PASSWORD
                + " to choose one)" : ""));
        out.printf(f, "Logs", settings.logsDir().toString());
        out.printf(f, "State", settings.stateDir() + "   (requests and inventory survive a restart)");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /** Blocks until a child exits: after Ctrl-C that is the normal end, otherwise a failure. */
    private int watch() {
        List<ServiceProcess> all = stack.all();
        CompletableFuture.anyOf(all.stream().map(p -> p.process().onExit()).toArray(CompletableFuture[]::new))
                .join();
        if (stack.stopping()) {
            return 0;
        }
        for (ServiceProcess process : all) {
            if (!process.isAlive()) {
                throw new StartupException(process.name() + " exited unexpectedly with code "
                        + process.process().exitValue() + "; its log is " + process.logFile(),
                        process.logTail(40));
            }
        }
        return 1;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
