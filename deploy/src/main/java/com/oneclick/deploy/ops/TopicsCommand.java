package com.oneclick.deploy.ops;

import com.oneclick.model.Topics;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code ./oneclick topics}: every topic with its partitions, end offsets and record count; every
 * consumer group with its lag per topic; the dead letters waiting in each {@code .dlt} topic.
 */
final class TopicsCommand {

    private static final String BOLD_RED = "\u001b[1;31m";
    private static final String RESET = "\u001b[0m";

    private final Cluster cluster;
    private final PrintStream out;
    private final boolean color;

    /** @param color highlight the dead letters with ANSI colours (an interactive terminal) */
    TopicsCommand(Cluster cluster, PrintStream out, boolean color) {
        this.cluster = cluster;
        this.out = out;
        this.color = color;
    }

    static void parse(List<String> args) {
        Options.parse("topics", args, Set.of(), Set.of());
    }

    int run() {
        Set<String> names = cluster.topics();
        Map<String, List<TopicPartition>> partitions = names.isEmpty() ? Map.of() : cluster.partitions(names);
        List<TopicPartition> all = partitions.values().stream().flatMap(List::stream).toList();
        Map<TopicPartition, Long> earliest = cluster.earliest(all);
        Map<TopicPartition, Long> latest = cluster.latest(all);

        out.println("Kafka at " + cluster.bootstrap());
        out.println();
        Table topics = new Table("TOPIC", "PARTITIONS", "END OFFSETS", "RECORDS", "");
        Map<String, Long> deadLetters = new TreeMap<>();
        partitions.forEach((topic, parts) -> {
            long records = parts.stream().mapToLong(p -> latest.get(p) - earliest.get(p)).sum();
            String ends = parts.stream().map(p -> String.valueOf(latest.get(p))).collect(Collectors.joining(","));
            String note = "";
            if (topic.endsWith(Topics.DEAD_LETTER_SUFFIX)) {
                deadLetters.put(topic, records);
                note = records > 0 ? highlight("<- " + records + " dead letter(s)") : "";
            }
            topics.row(topic, String.valueOf(parts.size()), ends, String.valueOf(records), note);
        });
        if (partitions.isEmpty()) {
            out.println("No topics.");
        } else {
            topics.print(out);
        }

        out.println();
        List<ConsumerGroupListing> groups = cluster.groups();
        if (groups.isEmpty()) {
            out.println("No consumer groups.");
        } else {
            Table lag = new Table("GROUP", "STATE", "MEMBERS", "TOPIC", "COMMITTED", "END", "LAG");
            List<String> ids = groups.stream().map(ConsumerGroupListing::groupId).toList();
            Map<String, ConsumerGroupDescription> descriptions = cluster.describe(ids);
            Map<String, Map<TopicPartition, Long>> offsets = cluster.committed(ids);
            for (String group : ids) {
                Optional<ConsumerGroupDescription> description = Optional.ofNullable(descriptions.get(group));
                String state = description.map(d -> d.state().toString()).orElse("Dead");
                String members = description.map(d -> String.valueOf(d.members().size())).orElse("0");
                Map<String, List<TopicPartition>> byTopic = new TreeMap<>();
                Map<TopicPartition, Long> committed = offsets.getOrDefault(group, Map.of());
                committed.keySet().forEach(p -> byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p));
                if (byTopic.isEmpty()) {
                    lag.row(Text.printable(group), state, members, "(no committed offsets)", "", "", "");
                }
                byTopic.forEach((topic, committedParts) -> {
                    List<TopicPartition> parts = partitions.getOrDefault(topic, committedParts);
                    long committedSum = 0;
                    long endSum = 0;
                    long lagSum = 0;
                    for (TopicPartition partition : parts) {
                        long end = latest.getOrDefault(partition, 0L);
                        // a partition the group has not committed on yet is read from its start
                        long position = committed.getOrDefault(partition, earliest.getOrDefault(partition, 0L));
                        committedSum += committed.getOrDefault(partition, 0L);
                        endSum += end;
                        lagSum += Math.max(0, end - position);
                    }
                    lag.row(Text.printable(group), state, members, topic, String.valueOf(committedSum),
                            String.valueOf(endSum), String.valueOf(lagSum));
                });
            }
            lag.print(out);
        }

        out.println();
        long waiting = deadLetters.values().stream().mapToLong(Long::longValue).sum();
        if (deadLetters.isEmpty()) {
            out.println("Dead letters: no .dlt topic.");
        } else if (waiting == 0) {
            out.println("Dead letters: none.");
        } else {
            out.println(highlight("Dead letters: " + waiting + " record(s)"));
            deadLetters.forEach((topic, count) -> {
                if (count > 0) {
                    out.println("  " + topic + ": " + count + "   (./oneclick redrive --topic " + topic
                            + " --dry-run shows them)");
                }
            });
        }
        return 0;
    }

    private String highlight(String text) {
        return color ? BOLD_RED + text + RESET : text;
    }

    /** Left-aligned text columns, right-aligned numbers, two spaces apart. */
    static final class Table {

        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void row(String... cells) {
            rows.add(cells);
        }

        void print(PrintStream out) {
            int columns = rows.get(0).length;
            int[] widths = new int[columns];
            boolean[] numeric = new boolean[columns];
            java.util.Arrays.fill(numeric, true);
            for (int r = 0; r < rows.size(); r++) {
                String[] row = rows.get(r);
                for (int i = 0; i < columns; i++) {
                    widths[i] = Math.max(widths[i], visibleLength(row[i]));
                    if (r > 0 && !row[i].isEmpty() && !row[i].matches("[0-9,]+")) {
                        numeric[i] = false;
                    }
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    String cell = row[i];
                    String pad = " ".repeat(widths[i] - visibleLength(cell));
                    if (i > 0) {
                        line.append("  ");
                    }
                    line.append(numeric[i] ? pad + cell : cell + pad);
                }
                out.println(line.toString().stripTrailing());
            }
        }

        private static int visibleLength(String cell) {
            return cell.replaceAll("\u001b\\[[0-9;]*m", "").length();
        }
    }
}
