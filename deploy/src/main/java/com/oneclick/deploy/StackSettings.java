package com.oneclick.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./oneclick up} reads from the environment, with the defaults of the local stack.
 * Every port can be moved by its own variable; a bad value is a {@link StartupException}.
 */
public record StackSettings(
        Path root,
        Path stateDir,
        int kafkaPort,
        int kafkaControllerPort,
        int smtpPort,
        int mailUiPort,
        Map<ServiceSpec, Integer> servicePorts,
        Duration startupTimeout,
        List<String> serviceJvmOptions,
        List<String> kafkaJvmOptions) {

    public static final String KAFKA_PORT = "ONECLICK_KAFKA_PORT";
    public static final String KAFKA_CONTROLLER_PORT = "ONECLICK_KAFKA_CONTROLLER_PORT";
    public static final String SMTP_PORT = "ONECLICK_SMTP_PORT";
    public static final String MAIL_UI_PORT = "ONECLICK_MAIL_UI_PORT";
    public static final String STATE_DIR = "ONECLICK_STATE_DIR";
    public static final String STARTUP_TIMEOUT = "ONECLICK_STARTUP_TIMEOUT";
    public static final String JAVA_OPTS = "ONECLICK_JAVA_OPTS";
    public static final String KAFKA_JAVA_OPTS = "ONECLICK_KAFKA_JAVA_OPTS";

    /** Every service's JVM options after its heap ({@link ServiceSpec#heap()}): one GC thread, the C1 compiler only. */
    static final String DEFAULT_SERVICE_JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    static final String DEFAULT_KAFKA_JVM_OPTIONS = "-Xms128m -Xmx512m -XX:+UseSerialGC";

    public static StackSettings from(Path root, Map<String, String> env) {
        Path stateDir = env.containsKey(STATE_DIR) && !env.get(STATE_DIR).isBlank()
                ? root.resolve(env.get(STATE_DIR)).toAbsolutePath().normalize()
                : root.resolve(".oneclick");
        Map<ServiceSpec, Integer> servicePorts = new EnumMap<>(ServiceSpec.class);
        for (ServiceSpec spec : ServiceSpec.values()) {
            servicePorts.put(spec, port(env, spec.portEnvVar(), spec.defaultPort()));
        }
        return new StackSettings(root, stateDir,
                port(env, KAFKA_PORT, 9092),
                port(env, KAFKA_CONTROLLER_PORT, 9093),
                port(env, SMTP_PORT, 3025),
                port(env, MAIL_UI_PORT, 8025),
                servicePorts,
                Duration.ofSeconds(positive(env, STARTUP_TIMEOUT, 240)),
                options(env.getOrDefault(JAVA_OPTS, DEFAULT_SERVICE_JVM_OPTIONS)),
                options(env.getOrDefault(KAFKA_JAVA_OPTS, DEFAULT_KAFKA_JVM_OPTIONS)));
    }

    /**
     * A service's JVM options: its heap, then {@code ONECLICK_JAVA_OPTS} (or the default), whose own
     * {@code -Xms}/{@code -Xmx}, when it has them, win, as the JVM takes the last one given.
     */
    public List<String> jvmOptions(ServiceSpec spec) {
        List<String> options = new ArrayList<>(options(spec.heap()));
        options.addAll(serviceJvmOptions);
        return List.copyOf(options);
    }

    /** Every port the stack binds, for the check before anything starts. */
    public List<Ports.Claim> portClaims() {
        List<Ports.Claim> claims = new ArrayList<>();
        claims.add(new Ports.Claim(kafkaPort, "Kafka broker", KAFKA_PORT));
        claims.add(new Ports.Claim(kafkaControllerPort, "Kafka controller", KAFKA_CONTROLLER_PORT));
        claims.add(new Ports.Claim(smtpPort, "GreenMail SMTP", SMTP_PORT));
        claims.add(new Ports.Claim(mailUiPort, "GreenMail web/API", MAIL_UI_PORT));
        servicePorts.forEach((spec, port) -> claims.add(new Ports.Claim(port, spec.module(), spec.portEnvVar())));
        return claims;
    }

    public int port(ServiceSpec spec) {
        return servicePorts.get(spec);
    }

    public Path logsDir() {
        return stateDir.resolve("logs");
    }

    public Path kafkaDir() {
        return stateDir.resolve("kafka");
    }

    public Path remoteRepository() {
        return stateDir.resolve("remote.git");
    }

    public Path dataDir(ServiceSpec spec) {
        return stateDir.resolve(spec.module());
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    static int port(Map<String, String> env, String var, int defaultPort) {
        String value = env.get(var);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException(var + " must be a port number from 1 to 65535, not '" + value + "'");
    }

    private static long positive(Map<String, String> env, String var, long defaultValue) {
        String value = env.get(var);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException(var + " must be a positive number of seconds, not '" + value + "'");
    }

    private static List<String> options(String value) {
        return Arrays.stream(value.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
