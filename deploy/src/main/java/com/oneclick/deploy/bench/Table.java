package com.oneclick.deploy.bench;

import java.util.ArrayList;
import java.util.List;

/** A small table rendered as aligned text (the terminal) or as a Markdown table (the results file). */
public final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row has " + header.size() + " cells, not " + cells.length);
        }
        rows.add(List.of(cells));
        return this;
    }

    public String text() {
        int[] widths = new int[header.size()];
        for (List<String> row : all()) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        List<String> rule = new ArrayList<>();
        for (int width : widths) {
            rule.add("-".repeat(width));
        }
        line(out, rule, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header.stream().map(Table::escape).toList())).append(" |\n");
        out.append("|").append("---|".repeat(header.size())).append("\n");
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row.stream().map(Table::escape).toList())).append(" |\n");
        }
        return out.toString();
    }

    private List<List<String>> all() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            // the first column is a label (left), the others are figures (right)
            line.append(i == 0 ? pad(cell, widths[i], false) : pad(cell, widths[i], true));
            line.append(i + 1 < cells.size() ? "  " : "");
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String pad(String cell, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - cell.length()));
        return right ? fill + cell : cell + fill;
    }

    static String escape(String cell) {
        return cell.replace("|", "\\|");
    }

    /** A figure with a sensible number of digits; "–" for no value. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format("%.0f", value);
        }
        if (abs >= 10) {
            return String.format("%.1f", value);
        }
        return String.format("%.2f", value);
    }
}
