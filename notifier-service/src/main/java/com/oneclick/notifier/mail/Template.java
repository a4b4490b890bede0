package com.oneclick.notifier.mail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
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
 *   <li>when the value of {@code {{#name}}} is a list of maps, the content is repeated for each map,
 *       whose keys it may use besides the model's (the labelled rows of a product's outputs);</li>
 *   <li>a section tag alone on its line takes its line break with it.</li>
 * </ul>
 * The template is parsed once, when it is made (a malformed or unmatched tag is an error then);
 * values are inserted while rendering and never parsed, so a value that looks like a tag is never
 * interpreted. A name the model does not define is an error, not an empty string.
 */
public final class Template {

    private static final Pattern STANDALONE_TAG = Pattern.compile("(?m)^[ \\t]*(\\{\\{[#^/][A-Za-z][A-Za-z0-9]*}})[ \\t]*\\r?\\n");
    private static final Pattern TAG = Pattern.compile("\\{\\{([#^/]?)([A-Za-z][A-Za-z0-9]*)}}");

    private sealed interface Node permits Text, Variable, Section {
    }

    private record Text(String text) implements Node {
    }

    private record Variable(String key) implements Node {
    }

    private record Section(String key, boolean inverted, List<Node> children) implements Node {
    }

    private final String name;
    private final List<Node> nodes;

    /**
     * @throws IllegalArgumentException when a tag is malformed or a section is not closed
     */
    public Template(String name, String source) {
        this.name = name;
        this.nodes = parse(STANDALONE_TAG.matcher(source).replaceAll(m -> Matcher.quoteReplacement(m.group(1))));
    }

    public String name() {
        return name;
    }

    /** Renders the template; {@code encoder} is applied to every inserted value. */
    public String render(Map<String, ?> model, UnaryOperator<String> encoder) {
        StringBuilder out = new StringBuilder(1024);
        Deque<Map<String, ?>> scopes = new ArrayDeque<>();
        scopes.push(model);
        render(nodes, scopes, encoder, out);
        return out.toString();
    }

    private void render(List<Node> children, Deque<Map<String, ?>> scopes, UnaryOperator<String> encoder,
                        StringBuilder out) {
        for (Node node : children) {
            if (node instanceof Text text) {
                out.append(text.text());
            } else if (node instanceof Variable variable) {
                Object value = lookup(scopes, variable.key());
                out.append(encoder.apply(value == null ? "" : value.toString()));
            } else if (node instanceof Section section) {
                Object value = lookup(scopes, section.key());
                if (section.inverted()) {
                    if (!isPresent(value)) {
                        render(section.children(), scopes, encoder, out);
                    }
                } else if (value instanceof Collection<?> items) {
                    for (Object item : items) {
                        scopes.push(item(section.key(), item));
                        render(section.children(), scopes, encoder, out);
                        scopes.pop();
                    }
                } else if (isPresent(value)) {
                    render(section.children(), scopes, encoder, out);
                }
            }
        }
    }

    private List<Node> parse(String source) {
        Deque<Section> open = new ArrayDeque<>();
        List<Node> top = new ArrayList<>();
        Matcher tags = TAG.matcher(source);
        int last = 0;
        while (tags.find()) {
            List<Node> into = open.isEmpty() ? top : open.peek().children();
            text(source.substring(last, tags.start()), into);
            last = tags.end();
            String kind = tags.group(1);
            String key = tags.group(2);
            switch (kind) {
                case "" -> into.add(new Variable(key));
                case "#", "^" -> {
                    Section section = new Section(key, "^".equals(kind), new ArrayList<>());
                    into.add(section);
                    open.push(section);
                }
                default -> {
                    if (open.isEmpty() || !open.peek().key().equals(key)) {
                        throw new IllegalArgumentException("template " + name + " has an unmatched {{/" + key + "}}");
                    }
                    open.pop();
                }
            }
        }
        text(source.substring(last), open.isEmpty() ? top : open.peek().children());
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("template " + name + " has an unmatched {{"
                    + (open.peek().inverted() ? "^" : "#") + open.peek().key() + "}} (never closed)");
        }
        return top;
    }

    private void text(String text, List<Node> into) {
        if (text.contains("{{")) {
            throw new IllegalArgumentException("template " + name + " has an unmatched or malformed tag near: "
                    + text.substring(text.indexOf("{{"), Math.min(text.length(), text.indexOf("{{") + 40)));
        }
        if (!text.isEmpty()) {
            into.add(new Text(text));
        }
    }

    private Object lookup(Deque<Map<String, ?>> scopes, String key) {
        for (Iterator<Map<String, ?>> it = scopes.iterator(); it.hasNext(); ) {
            Map<String, ?> scope = it.next();
            if (scope.containsKey(key)) {
                return scope.get(key);
            }
        }
        throw new IllegalArgumentException("template " + name + " uses '" + key + "', which the model does not define");
    }

    @SuppressWarnings("unchecked")
    private Map<String, ?> item(String key, Object item) {
        if (!(item instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("template " + name + " repeats '" + key
                    + "', whose items must be maps, not " + (item == null ? "null" : item.getClass().getSimpleName()));
        }
        return (Map<String, ?>) map;
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
