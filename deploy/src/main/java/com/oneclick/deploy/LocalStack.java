package com.oneclick.deploy;

import com.oneclick.deploy.ops.Ops;
import com.oneclick.deploy.bench.BenchCommand;
import com.oneclick.deploy.bench.BenchOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The launcher behind {@code ./oneclick}. One subcommand per operation ({@code up}, {@code mail},
 * {@code bench}); the ops tools (replay, topics) join as further cases of {@link #run}.
 */
public final class LocalStack {

    static final String USAGE = """
            Usage: ./oneclick <command>

            Commands:
              up      build what is missing, then run the whole stack on this machine (Kafka, GreenMail,
                      a bare git remote, the four services) until Ctrl-C
              mail ADDRESS
                      print the mail the local stack sent to ADDRESS (sender, date, subject, text)
              topics  every topic with its record count, each consumer group's lag, the dead letters
              replay --group G --topic T (--from-offset N | --from-time ISO-8601 | --to-earliest) [--dry-run]
                      move a stopped group's offsets on every partition of T, so its service reads again
              redrive --topic T.dlt [--partition P] [--offset N] [--dry-run]
                      publish dead letters back to their original topic
                      (topics, replay, redrive: --bootstrap host:port, default ONECLICK_KAFKA_BOOTSTRAP
                      or 127.0.0.1:ONECLICK_KAFKA_PORT)
              bench [--requests N] [--rate R] [--inventory ROWS | --scale] [--parallelism P]
                      start a fresh stack in .oneclick/bench/, measure the raw Kafka and Terraform
                      baselines and the pipeline, print the figures (./oneclick bench --help)
              help    show this help

            Environment (all optional):
              ONECLICK_REQUEST_PORT (8080)  ONECLICK_APPROVAL_PORT (8081)  ONECLICK_PROVISIONER_PORT (8082)
              ONECLICK_NOTIFIER_PORT (8083)  ONECLICK_KAFKA_PORT (9092)  ONECLICK_KAFKA_CONTROLLER_PORT (9093)
              ONECLICK_SMTP_PORT (3025)  ONECLICK_MAIL_UI_PORT (8025)
              ONECLICK_APPROVER_USER (approver)  ONECLICK_APPROVER_PASSWORD (generated per run)
              ONECLICK_APPROVER_EMAIL (approver@oneclick.local)
              ONECLICK_STATE_DIR (.oneclick)  ONECLICK_STARTUP_TIMEOUT (240 seconds)
              ONECLICK_JAVA_OPTS, ONECLICK_KAFKA_JAVA_OPTS (JVM options of the services / of Kafka)
            """;

    private LocalStack() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        Path root = Path.of(System.getProperty("oneclick.root", System.getProperty("user.dir")))
                .toAbsolutePath().normalize();
        switch (command) {
            case "up":
                if (rest.length > 0) {
                    err.println("oneclick up takes no arguments");
                    return 2;
                }
                return up(root, System.getenv(), out, err);
            case "mail":
                if (rest.length != 1) {
                    err.println("Usage: ./oneclick mail <recipient address>");
                    return 2;
                }
                return mail(rest[0], System.getenv(), out, err);
            case "help":
            case "-h":
            case "--help":
                out.print(USAGE);
                return 0;
            case "replay":
            case "topics":
            case "redrive":
                return Ops.run(command, rest, System.getenv(), out, err);
            case "bench":
                return bench(root, rest, System.getenv(), out, err);
            default:
                err.println("oneclick: unknown command '" + command + "'");
                err.print(USAGE);
                return 2;
        }
    }

    private static int mail(String address, Map<String, String> env, PrintStream out, PrintStream err) {
        int port = StackSettings.port(env, StackSettings.MAIL_UI_PORT, 8025);
        try {
            return new MailCommand(URI.create("http://127.0.0.1:" + port + "/"), out).run(address);
        } catch (RuntimeException | IOException e) {
            err.println("oneclick: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int bench(Path root, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(BenchOptions.USAGE);
            return 0;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("oneclick bench: " + e.getMessage());
            err.print(BenchOptions.USAGE);
            return 2;
        }
        try {
            return new BenchCommand(root, env, out).run(options);
        } catch (StartupException e) {
            err.println("oneclick bench: " + e.getMessage());
            if (e.logTail() != null && !e.logTail().isBlank()) {
                err.println("---- last lines of the log ----");
                err.println(e.logTail());
                err.println("-------------------------------");
            }
            return 1;
        } catch (RuntimeException e) {
            err.println("oneclick bench: " + e.getMessage());
            return 1;
        }
    }

    private static int up(Path root, Map<String, String> env, PrintStream out, PrintStream err) {
        UpCommand up = new UpCommand(root, env, out);
        try {
            return up.run();
        } catch (StartupException e) {
            if (up.stack().stopping()) {
                return 0;
            }
            err.println("oneclick: " + e.getMessage());
            if (e.logTail() != null && !e.logTail().isBlank()) {
                err.println("---- last lines of the log ----");
                err.println(e.logTail());
                err.println("-------------------------------");
            }
            up.stack().stop();
            return 1;
        } catch (RuntimeException e) {
            if (up.stack().stopping()) {
                return 0;
            }
            err.println("oneclick: " + e);
            up.stack().stop();
            return 1;
        }
    }
}
