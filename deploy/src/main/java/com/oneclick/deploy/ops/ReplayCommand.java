package com.oneclick.deploy.ops;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code ./oneclick replay --group G --topic T (--from-offset N | --from-time ISO-8601 | --to-earliest) [--dry-run]}:
 * moves a consumer group's committed offsets on every partition of one topic, so that the service
 * reading with that group reads the records again when it starts. Refuses while the group has live
 * members: a running consumer would overwrite the offsets with its own.
 */
final class ReplayCommand {

    static final String FROM_OFFSET = "--from-offset";
    static final String FROM_TIME = "--from-time";
    static final String TO_EARLIEST = "--to-earliest";
    static final String DRY_RUN = "--dry-run";

    /** Where to move the offsets to. */
    sealed interface Target permits FromOffset, FromTime, ToEarliest {
    }

    record FromOffset(long offset) implements Target {
    }

    record FromTime(Instant time) implements Target {
    }

    record ToEarliest() implements Target {
    }

    /** A checked command line: names and values are well-formed; whether they exist is the broker's to say. */
    record Request(String group, String topic, Target target, boolean dryRun) {
    }

    private final Cluster cluster;
    private final PrintStream out;

    ReplayCommand(Cluster cluster, PrintStream out) {
        this.cluster = cluster;
        this.out = out;
    }

    static Request parse(List<String> args) {
        Options options = Options.parse("replay", args, Set.of("--group", "--topic", FROM_OFFSET, FROM_TIME),
                Set.of(TO_EARLIEST, DRY_RUN));
        String group = options.required("--group");
        String topic = options.required("--topic");
        List<String> modes = new ArrayList<>();
        for (String mode : List.of(FROM_OFFSET, FROM_TIME, TO_EARLIEST)) {
            if (options.has(mode)) {
                modes.add(mode);
            }
        }
        if (modes.isEmpty()) {
            throw new UsageException("oneclick replay: say where to start: " + FROM_OFFSET + " N, " + FROM_TIME
                    + " ISO-8601 or " + TO_EARLIEST);
        }
        if (modes.size() > 1) {
            throw new UsageException("oneclick replay: give only one of " + FROM_OFFSET + ", " + FROM_TIME + " and "
                    + TO_EARLIEST + " (got " + String.join(" and ", modes) + ")");
        }
        Target target = switch (modes.get(0)) {
            case FROM_OFFSET -> new FromOffset(options.nonNegative(FROM_OFFSET).orElseThrow());
            case FROM_TIME -> new FromTime(time(options.value(FROM_TIME).orElseThrow()));
            default -> new ToEarliest();
        };
        return new Request(group, topic, target, options.has(DRY_RUN));
    }

    /** An ISO-8601 instant with its zone or offset: 2025-06-01T12:00:00Z, 2025-06-01T14:00+02:00. */
    static Instant time(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            // try the forms with an offset or a zone next
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // and with a zone id
        }
        try {
            return ZonedDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException(FROM_TIME + " must be an ISO-8601 time with a zone, such as 2025-06-01T12:00:00Z"
                    + " or 2025-06-01T14:00:00+02:00, not '" + Text.printable(value) + "'");
        }
    }

    int run(Request request) {
        String group = request.group();
        String topic = request.topic();
        Set<String> topics = cluster.topics();
        if (!topics.contains(topic)) {
            throw new UsageException("oneclick replay: unknown topic '" + Text.printable(topic) + "' on "
                    + cluster.bootstrap() + " (see ./oneclick topics)");
        }
        ConsumerGroupDescription description = cluster.group(group).orElseThrow(() -> new UsageException(
                "oneclick replay: unknown consumer group '" + Text.printable(group) + "' on " + cluster.bootstrap()
                        + " (see ./oneclick topics)"));
        Map<TopicPartition, Long> committed = cluster.committed(group);
        if (committed.keySet().stream().noneMatch(p -> p.topic().equals(topic))) {
            String readsFrom = committed.keySet().stream().map(TopicPartition::topic).distinct().sorted()
                    .collect(Collectors.joining(", "));
            throw new UsageException("oneclick replay: group " + group + " has no committed offset on " + topic
                    + (readsFrom.isEmpty() ? "" : " (it has on: " + readsFrom + ")"));
        }
        int members = description.members().size();
        if (members > 0 && !request.dryRun()) {
            throw new OpsException("oneclick replay: group " + group + " has " + members + " live member(s) ("
                    + clients(description) + "): stop the service that reads with this group first, then replay,"
                    + " then start it again (a killed process stays a member until its session times out, 45 s"
                    + " by default). Nothing was changed.");
        }

        List<TopicPartition> partitions = cluster.partitions(List.of(topic)).get(topic);
        Map<TopicPartition, Long> earliest = cluster.earliest(partitions);
        Map<TopicPartition, Long> latest = cluster.latest(partitions);
        Map<TopicPartition, Long> target = targets(request.target(), partitions, earliest, latest);

        out.println((request.dryRun() ? "Dry run: would move" : "Moving") + " group " + group + " on " + topic
                + " " + describe(request.target()) + ":");
        long rereads = 0;
        long skips = 0;
        for (TopicPartition partition : partitions) {
            Long from = committed.get(partition);
            long to = target.get(partition);
            if (from != null) {
                rereads += Math.max(0, from - to);
                skips += Math.max(0, to - from);
            }
            out.printf("  partition %d: %s -> %d   (end %d)%n", partition.partition(),
                    from == null ? "(none)" : from.toString(), to, latest.get(partition));
        }
        if (request.dryRun()) {
            out.println("The group would read " + rereads + " record(s) again" + (skips > 0 ? " and skip " + skips : "")
                    + ".");
            if (members > 0) {
                out.println("Group " + group + " has " + members + " live member(s) (" + clients(description)
                        + "): the real run refuses until the service is stopped.");
            }
            out.println("Dry run: nothing was changed.");
            return 0;
        }
        cluster.commit(group, target);
        out.println("Done: " + partitions.size() + " partition(s) moved; when its service starts, the group reads "
                + rereads + " record(s) again" + (skips > 0 ? " and skips " + skips : "")
                + ". Every consumer is idempotent: a replay only completes missing work.");
        return 0;
    }

    private Map<TopicPartition, Long> targets(Target target, List<TopicPartition> partitions,
                                              Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest) {
        if (target instanceof FromTime fromTime) {
            return cluster.atTime(partitions, fromTime.time());
        }
        if (target instanceof FromOffset fromOffset) {
            long offset = fromOffset.offset();
            Map<TopicPartition, Long> offsets = new TreeMap<>(Cluster::compare);
            for (TopicPartition partition : partitions) {
                long first = earliest.get(partition);
                long end = latest.get(partition);
                if (offset < first || offset > end) {
                    throw new UsageException("oneclick replay: " + FROM_OFFSET + " " + offset + " is outside "
                            + partition + ", whose offsets go from " + first + " to its end " + end);
                }
                offsets.put(partition, offset);
            }
            return offsets;
        }
        return earliest;
    }

    private static String describe(Target target) {
        if (target instanceof FromTime fromTime) {
            return "to the first record at or after " + fromTime.time();
        }
        if (target instanceof FromOffset fromOffset) {
            return "to offset " + fromOffset.offset();
        }
        return "to the earliest offset";
    }

    private static String clients(ConsumerGroupDescription description) {
        return description.members().stream()
                .map(MemberDescription::clientId)
                .map(Text::printable)
                .sorted()
                .collect(Collectors.joining(", "));
    }
}
