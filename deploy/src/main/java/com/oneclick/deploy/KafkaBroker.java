package com.oneclick.deploy;

import com.oneclick.model.Topics;
import com.oneclick.model.events.EventType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The real Apache Kafka broker (from Maven Central, on this module's classpath) in KRaft mode as a
 * child process: one node that is broker and controller, on the loopback interface, its data in
 * {@code <state>/kafka/data}, its cluster id in {@code <state>/kafka/cluster.id}.
 *
 * <p>Retention is unlimited: the request status and the approval queue are rebuilt from the topics
 * when the services restart, so the local stack keeps its history.
 */
public final class KafkaBroker {

    private final Path dir;
    private final Path logFile;
    private final int port;
    private final int controllerPort;
    private final List<String> jvmOptions;
    private final String classpath;

    public KafkaBroker(Path dir, Path logFile, int port, int controllerPort, List<String> jvmOptions,
                       String classpath) {
        this.dir = dir.toAbsolutePath();
        this.logFile = logFile.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.classpath = classpath;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    /** Writes the configuration and, on the first run, formats the storage. Returns true if it formatted. */
    public boolean prepare(Duration timeout) {
        try {
            Files.createDirectories(dataDir());
            Files.writeString(dir.resolve("server.properties"), serverProperties(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("log4j.properties"), log4jProperties(), StandardCharsets.UTF_8);
            if (Files.exists(dataDir().resolve("meta.properties"))) {
                return false;
            }
            String clusterId = clusterId();
            ServiceProcess format = process("kafka-storage-format", "kafka.tools.StorageTool",
                    List.of("format", "--ignore-formatted", "--cluster-id", clusterId,
                            "--config", dir.resolve("server.properties").toString()));
            if (!format.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                format.stop(Duration.ofSeconds(5));
                throw new StartupException("formatting the Kafka storage did not finish within "
                        + timeout.toSeconds() + " s; see " + logFile, format.logTail(30));
            }
            if (format.process().exitValue() != 0) {
                throw new StartupException("formatting the Kafka storage in " + dataDir() + " failed (exit "
                        + format.process().exitValue() + "); see " + logFile, format.logTail(30));
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while formatting the Kafka storage");
        }
    }

    /** Starts {@code kafka.Kafka server.properties}; call {@link #awaitReady} next. */
    public ServiceProcess start() {
        return process("kafka", "kafka.Kafka", List.of(dir.resolve("server.properties").toString()));
    }

    /** Waits until the broker answers a describeCluster request. */
    public void awaitReady(ServiceProcess broker, Duration timeout) {
        try (Admin admin = admin()) {
            broker.awaitReady(timeout, "answer on " + bootstrapServers(),
                    () -> !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty());
        }
    }

    /**
     * Creates the topics of the flow and their dead-letter topics if they do not exist yet, so no
     * service races another to create them.
     */
    public void createTopics(Duration timeout) {
        Set<String> names = new LinkedHashSet<>();
        for (EventType type : EventType.values()) {
            names.add(type.topic());
            names.add(Topics.deadLetter(type.topic()));
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, Optional.of(1), Optional.empty()));
        }
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StartupException("could not create topic " + result.getKey() + ": "
                                + e.getCause().getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while creating topics");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new StartupException("could not list the topics on " + bootstrapServers() + ": " + e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }

    private ServiceProcess process(String name, String mainClass, List<String> args) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Djava.awt.headless=true");
        options.add("-Dlog4j.configuration=" + dir.resolve("log4j.properties").toUri());
        options.add("-Dkafka.logs.dir=" + logFile.getParent());
        return ServiceProcess.builder(name)
                .javaMain(classpath, options, mainClass, args)
                .workDir(dir)
                .logFile(logFile)
                .start();
    }

    private String clusterId() throws IOException {
        Path file = dir.resolve("cluster.id");
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id + System.lineSeparator(), StandardCharsets.UTF_8);
        return id;
    }

    String serverProperties() {
        return String.join(System.lineSeparator(),
                "# Written by ./oneclick up on every start; edit the launcher, not this file.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dataDir(),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "# Keep every event: the services rebuild their views from the topics on restart.",
                "log.retention.ms=-1",
                "log.retention.bytes=-1",
                "");
    }

    String log4jProperties() {
        // log4j 1.x properties files treat backslashes as escapes.
        String file = logFile.toString().replace("\\", "/");
        return String.join(System.lineSeparator(),
                "log4j.rootLogger=INFO, file",
                "log4j.appender.file=org.apache.log4j.FileAppender",
                "log4j.appender.file.File=" + file,
                "log4j.appender.file.Append=true",
                "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
                "log4j.logger.kafka=INFO",
                "log4j.logger.org.apache.kafka=INFO",
                "log4j.logger.kafka.request.logger=WARN",
                "log4j.logger.kafka.controller=INFO",
                "log4j.logger.state.change.logger=INFO",
                "");
    }
}
