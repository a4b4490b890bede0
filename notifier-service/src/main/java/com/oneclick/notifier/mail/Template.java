package com.oneclick.notifier.mail;

import java.util.Collection;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately small template language, enough for emails:
 * <ul>
 *   <li>{@code {{name}}} inserts a value, passed through the encoder (HTML escaping for HTML parts);</li>
 *   <li>{@code {{#name}}...{{/name}}} keeps its content when the value is present (true, non-blank,
 *       non-empty), {@code {{^name}}...{{/name}}} when it is not;</li>
 *   <li>a section tag alone on its line takes its line break with it.</li>
 * </ul>
 * Values are inserted in one pass after the sections are resolved, so a value that looks like a
 * tag is never interpreted. A name the model does not define is an error, not an empty string.
 */
public final class Template {

    private static final Pattern STANDALONE_TAG = Pattern.compile("(?m)^[ \\t]*(\\{\\{[#^/][A-Za-z][A-Za-z0-9]*}})[ \\t]*\\r?\\n");
    private static final Pattern SECTION =
            Pattern.compile("\\{\\{([#^])([A-Za-z][A-Za-z0-9]*)}}(.*?)\\{\\{/\\2}}", Pattern.DOTALL);
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9]*)}}");

    private final String name;
    private final String source;

    public Template(String name, String source) {
        this.name = name;
        this.source = STANDALONE_TAG.matcher(source).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    }

    public String name() {
        return name;
    }

    /** Renders the template; {@code encoder} is applied to every inserted value. */
    public String render(Map<String, ?> model, UnaryOperator<String> encoder) {
        String resolved = resolveSections(source, model);
        Matcher variables = VARIABLE.matcher(resolved);
        StringBuilder out = new StringBuilder(resolved.length() + 256);
        int last = 0;
        while (variables.find()) {
            checkNoStrayTag(resolved.substring(last, variables.start()));
            Object value = lookup(model, variables.group(1));
            out.append(resolved, last, variables.start());
            out.append(encoder.apply(value == null ? "" : value.toString()));
            last = variables.end();
        }
        checkNoStrayTag(resolved.substring(last));
        out.append(resolved, last, resolved.length());
        return out.toString();
    }

    private String resolveSections(String text, Map<String, ?> model) {
        String current = text;
        while (true) {
            Matcher section = SECTION.matcher(current);
            if (!section.find()) {
                return current;
            }
            StringBuilder out = new StringBuilder(current.length());
            do {
                boolean present = isPresent(lookup(model, section.group(2)));
                boolean keep = "#".equals(section.group(1)) == present;
                section.appendReplacement(out, Matcher.quoteReplacement(keep ? section.group(3) : ""));
            } while (section.find());
            section.appendTail(out);
            current = out.toString();
        }
    }

    private Object lookup(Map<String, ?> model, String key) {
        if (!model.containsKey(key)) {
            throw new IllegalArgumentException("template " + name + " uses '" + key + "', which the model does not define");
        }
        return model.get(key);
    }

    private void checkNoStrayTag(String text) {
        if (text.contains("{{")) {
            throw new IllegalArgumentException("template " + name + " has an unmatched or malformed tag near: "
                    + text.substring(text.indexOf("{{"), Math.min(text.length(), text.indexOf("{{") + 40)));
        }
    }

    private static boolean isPresent(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (value instanceof CharSequence text) {
            return !text.toString().isBlank();
        }
        if (value instanceof Collection<?> collection) {
            return !collection.isEmpty();
        }
        return true;
    }
}
