package com.oneclick.deploy.ops;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The ops commands of {@code ./oneclick}: {@code replay}, {@code topics} and {@code redrive}. They
 * talk to Kafka only (the Admin API, a plain consumer and producer) and need nothing of the stack
 * but a reachable broker. Exit codes: 0 done, 1 refused or the broker failed, 2 a bad command line
 * (nothing was changed).
 */
public final class Ops {

    public static final String BOOTSTRAP_ENV = "ONECLICK_KAFKA_BOOTSTRAP";
    public static final String KAFKA_PORT_ENV = "ONECLICK_KAFKA_PORT";
    private static final String BOOTSTRAP = "--bootstrap";

    private Ops() {
    }

    /** True for the commands this class runs. */
    public static boolean handles(String command) {
        return List.of("replay", "topics", "redrive").contains(command);
    }

    public static int run(String command, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean color = System.console() != null && System.getenv("NO_COLOR") == null;
        return run(command, Arrays.asList(args), env, out, err, Cluster.DEFAULT_TIMEOUT, color);
    }

    static int run(String command, List<String> args, Map<String, String> env, PrintStream out, PrintStream err,
                   Duration timeout, boolean color) {
        try {
            List<String> rest = new ArrayList<>(args);
            String bootstrap = bootstrap(rest, env);
            switch (command) {
                case "replay": {
                    ReplayCommand.Request request = ReplayCommand.parse(rest);
                    try (Cluster cluster = new Cluster(bootstrap, timeout)) {
                        return new ReplayCommand(cluster, out).run(request);
                    }
                }
                case "topics": {
                    TopicsCommand.parse(rest);
                    try (Cluster cluster = new Cluster(bootstrap, timeout)) {
                        return new TopicsCommand(cluster, out, color).run();
                    }
                }
                case "redrive": {
                    RedriveCommand.Request request = RedriveCommand.parse(rest);
                    try (Cluster cluster = new Cluster(bootstrap, timeout)) {
                        return new RedriveCommand(cluster, out, timeout).run(request);
                    }
                }
                default:
                    throw new IllegalArgumentException("not an ops command: " + command);
            }
        } catch (UsageException e) {
            err.println(e.getMessage());
            return 2;
        } catch (OpsException e) {
            err.println(e.getMessage());
            return 1;
        } catch (org.apache.kafka.common.KafkaException e) {
            err.println("oneclick " + command + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Takes {@code --bootstrap host:port[,host:port]} out of the arguments; without it
     * {@code ONECLICK_KAFKA_BOOTSTRAP}, else {@code 127.0.0.1:<ONECLICK_KAFKA_PORT or 9092>}.
     */
    static String bootstrap(List<String> args, Map<String, String> env) {
        String given = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = null;
            if (arg.equals(BOOTSTRAP)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException(BOOTSTRAP + " needs a value (host:port)");
                }
                value = args.remove(i + 1);
                args.remove(i);
            } else if (arg.startsWith(BOOTSTRAP + "=")) {
                value = arg.substring(BOOTSTRAP.length() + 1);
                args.remove(i);
            } else {
                continue;
            }
            if (given != null) {
                throw new UsageException(BOOTSTRAP + " is given twice");
            }
            given = checked(value.strip(), BOOTSTRAP);
            i--;
        }
        if (given != null) {
            return given;
        }
        String fromEnv = env.get(BOOTSTRAP_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return checked(fromEnv.strip(), BOOTSTRAP_ENV);
        }
        String port = env.get(KAFKA_PORT_ENV);
        if (port == null || port.isBlank()) {
            return "127.0.0.1:9092";
        }
        if (!port.strip().matches("[0-9]{1,5}") || Integer.parseInt(port.strip()) < 1
                || Integer.parseInt(port.strip()) > 65535) {
            throw new UsageException(KAFKA_PORT_ENV + " must be a port number from 1 to 65535, not '"
                    + Text.printable(port) + "'");
        }
        return "127.0.0.1:" + port.strip();
    }

    private static String checked(String servers, String source) {
        for (String server : servers.split(",", -1)) {
            int colon = server.lastIndexOf(':');
            boolean valid = colon > 0 && server.substring(0, colon).matches("[A-Za-z0-9._\\-\\[\\]:]+");
            if (valid) {
                try {
                    int port = Integer.parseInt(server.substring(colon + 1));
                    valid = port >= 1 && port <= 65535;
                } catch (NumberFormatException e) {
                    valid = false;
                }
            }
            if (!valid) {
                throw new UsageException(source + " must be host:port (port 1 to 65535), not '"
                        + Text.printable(servers) + "'");
            }
        }
        return servers;
    }
}
