package com.oneclick.model.catalog;

import com.oneclick.model.validation.FieldViolation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One parameter of a product beyond the common request fields, with its rule. Values travel as text
 * in {@code InstanceRequest.parameters}; {@link #terraformValue} gives the typed value a module gets.
 *
 * @param name         the key in {@code parameters}, e.g. {@code subnetIds}
 * @param label        what the form shows
 * @param hint         one sentence under the field
 * @param kind         how the value is read and checked
 * @param pattern      TEXT and ID_LIST: what a value (each item of a list) must match
 * @param choices      CHOICE: the allowed values
 * @param min          INTEGER: the smallest value; ID_LIST: the fewest items
 * @param max          INTEGER: the largest value; ID_LIST: the most items
 * @param defaultValue what the form proposes (the API requires every parameter)
 * @param message      TEXT and ID_LIST: what is wrong when the pattern does not match
 * @param example      a value to show as a placeholder
 */
public record Parameter(String name, String label, String hint, Kind kind, String pattern, List<String> choices,
                        Integer min, Integer max, String defaultValue, String message, String example) {

    /** How a parameter's text is read. */
    public enum Kind {
        /** Free text matching {@code pattern}. */
        TEXT,
        /** One of {@code choices}. */
        CHOICE,
        /** A whole number from {@code min} to {@code max}; a Terraform number. */
        INTEGER,
        /** Comma-separated IDs, each matching {@code pattern}, {@code min} to {@code max} of them, no repeats; a Terraform list. */
        ID_LIST
    }

    static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    static final int TEXT_MAX = 256;

    public Parameter {
        Objects.requireNonNull(name, "a parameter needs a name");
        Objects.requireNonNull(kind, "parameter " + name + " needs a kind");
        choices = choices == null ? List.of() : List.copyOf(choices);
        if ((kind == Kind.TEXT || kind == Kind.ID_LIST) && pattern == null) {
            throw new IllegalArgumentException("parameter " + name + " (" + kind + ") needs a pattern");
        }
        if (kind == Kind.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("parameter " + name + " (CHOICE) needs choices");
        }
        if ((kind == Kind.INTEGER || kind == Kind.ID_LIST) && (min == null || max == null || min > max)) {
            throw new IllegalArgumentException("parameter " + name + " (" + kind + ") needs min <= max");
        }
    }

    /** The field name a violation of this parameter is reported under: {@code parameters[subnetIds]}. */
    public String field() {
        return "parameters[" + name + "]";
    }

    /** What is wrong with a value, or nothing. A missing value is reported as required. */
    public List<FieldViolation> check(String value) {
        List<FieldViolation> errors = new ArrayList<>();
        if (value == null || value.isBlank()) {
            errors.add(new FieldViolation(field(), "is required"));
            return errors;
        }
        if (value.length() > TEXT_MAX || CONTROL.matcher(value).find()) {
            errors.add(new FieldViolation(field(), "must be at most " + TEXT_MAX
                    + " characters without line breaks or control characters"));
            return errors;
        }
        switch (kind) {
            case TEXT -> {
                if (!Pattern.matches(pattern, value)) {
                    errors.add(new FieldViolation(field(), message));
                }
            }
            case CHOICE -> {
                if (!choices.contains(value)) {
                    errors.add(new FieldViolation(field(), "must be one of: " + String.join(", ", choices)));
                }
            }
            case INTEGER -> {
                Integer number = integer(value);
                if (number == null || number < min || number > max) {
                    errors.add(new FieldViolation(field(), "must be a whole number from " + min + " to " + max));
                }
            }
            case ID_LIST -> {
                List<String> items = items(value);
                if (items.size() < min || items.size() > max) {
                    errors.add(new FieldViolation(field(), "must list " + min + " to " + max
                            + " values separated by commas"));
                } else if (!items.stream().allMatch(item -> Pattern.matches(pattern, item))) {
                    errors.add(new FieldViolation(field(), message));
                } else if (new HashSet<>(items).size() != items.size()) {
                    errors.add(new FieldViolation(field(), "must not list a value twice"));
                }
            }
        }
        return errors;
    }

    /** The value as the module's variable takes it: a number, a list of strings, or the text. */
    public Object terraformValue(String value) {
        return switch (kind) {
            case INTEGER -> integer(value);
            case ID_LIST -> items(value);
            case TEXT, CHOICE -> value;
        };
    }

    /** The value as pages and emails show it: a list as {@code a, b}, anything else as it is. */
    public String displayValue(String value) {
        return kind == Kind.ID_LIST ? String.join(", ", items(value)) : value;
    }

    /** The value in its one written form: trimmed, and a list as {@code a,b} without spaces. */
    public String normalize(String value) {
        if (value == null) {
            return null;
        }
        return kind == Kind.ID_LIST ? String.join(",", items(value)) : value.strip();
    }

    /** The items of an ID_LIST value: split at commas, trimmed, empty items dropped. */
    public static List<String> items(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Integer integer(String value) {
        String text = value.strip();
        if (!text.matches("^-?[0-9]{1,9}$")) {
            return null;
        }
        return Integer.valueOf(text);
    }
}
