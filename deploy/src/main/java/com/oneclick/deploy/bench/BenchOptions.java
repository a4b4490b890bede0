package com.oneclick.deploy.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code ./oneclick bench}. {@link #parse} rejects anything it does not know with a
 * message for the user ({@link IllegalArgumentException}).
 *
 * @param requests    requests per pipeline run, and events / stacks per baseline
 * @param rate        requests per second of the fixed-rate run
 * @param inventory   existing inventory rows (and stacks) seeded before the services start
 * @param parallelism Terraform applies at once in the raw baseline
 * @param scale       the inventory sizes to run one after the other (empty: just {@code inventory})
 * @param warmup      requests sent through the pipeline before the measured runs (not counted)
 * @param timeout     how long a pipeline run may take before the benchmark gives up on it
 * @param keepState   keep the run's state directory (Kafka data, remote, inventory) instead of removing it
 */
public record BenchOptions(int requests, double rate, int inventory, int parallelism, List<Integer> scale,
                           int warmup, Duration timeout, boolean keepState) {

    public static final List<Integer> SCALE_STEPS = List.of(0, 10_000, 100_000);
    static final int MAX_REQUESTS = 10_000;
    static final int MAX_INVENTORY = 1_000_000;

    public static final String USAGE = """
            Usage: ./oneclick bench [--requests N] [--rate R] [--inventory ROWS | --scale] [--parallelism P]
                                    [--warmup W] [--timeout SECONDS] [--keep-state]

              --requests N      requests per pipeline run; also events / stacks per baseline (default 20)
              --rate R          requests per second of the fixed-rate run (default 10)
              --inventory ROWS  seed ROWS existing inventory rows and stacks before the services start (default 0)
              --scale           run with 0, 10000 and 100000 seeded rows one after the other (closed loop only)
              --parallelism P   Terraform applies at once in the raw baseline (default 2)
              --warmup W        requests sent before the measured runs, not counted (default 300)
              --timeout SECONDS give up on a pipeline run after this long (default 120 + 15 per request)
              --keep-state      keep the run's Kafka data, remote and inventory (default: only logs and results)
            """;

    public static BenchOptions parse(String[] args) {
        int requests = 20;
        double rate = 10;
        int inventory = 0;
        int parallelism = 2;
        boolean scale = false;
        boolean inventoryGiven = false;
        int warmup = 300;
        Long timeoutSeconds = null;
        boolean keepState = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--requests" -> requests = intValue(arg, value(args, ++i, arg), 1, MAX_REQUESTS);
                case "--rate" -> rate = rateValue(value(args, ++i, arg));
                case "--inventory" -> {
                    inventory = intValue(arg, value(args, ++i, arg), 0, MAX_INVENTORY);
                    inventoryGiven = true;
                }
                case "--parallelism" -> parallelism = intValue(arg, value(args, ++i, arg), 1, 64);
                case "--warmup" -> warmup = intValue(arg, value(args, ++i, arg), 0, MAX_REQUESTS);
                case "--timeout" -> timeoutSeconds = (long) intValue(arg, value(args, ++i, arg), 1, 86_400);
                case "--scale" -> scale = true;
                case "--keep-state" -> keepState = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (scale && inventoryGiven) {
            throw new IllegalArgumentException("--scale runs its own inventory sizes; leave out --inventory");
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds != null ? timeoutSeconds : 120L + 15L * requests);
        return new BenchOptions(requests, rate, inventory, parallelism, scale ? SCALE_STEPS : List.of(), warmup,
                timeout, keepState);
    }

    /** The inventory sizes to run, in order. */
    public List<Integer> inventorySizes() {
        return scale.isEmpty() ? List.of(inventory) : scale;
    }

    /** The options as command-line arguments (for the record of the exact command). */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of("--requests", String.valueOf(requests), "--rate", format(rate)));
        if (scale.isEmpty()) {
            args.addAll(List.of("--inventory", String.valueOf(inventory)));
        } else {
            args.add("--scale");
        }
        args.addAll(List.of("--parallelism", String.valueOf(parallelism), "--warmup", String.valueOf(warmup),
                "--timeout", String.valueOf(timeout.toSeconds())));
        if (keepState) {
            args.add("--keep-state");
        }
        return args;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String option, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max + ", not '"
                + value + "'");
    }

    private static double rateValue(String value) {
        try {
            double parsed = Double.parseDouble(value.strip());
            if (parsed > 0 && parsed <= 1000 && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--rate must be a number of requests per second above 0 and at most 1000, "
                + "not '" + value + "'");
    }

    static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
