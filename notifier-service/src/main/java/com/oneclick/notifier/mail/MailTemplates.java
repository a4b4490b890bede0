package com.oneclick.notifier.mail;

import com.oneclick.notifier.NotificationKind;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The templates of every notification kind, read once from the class path:
 * {@code templates/<kind>.subject.txt}, {@code templates/<kind>.txt} and {@code templates/<kind>.html}.
 */
public final class MailTemplates {

    /** One kind's three templates. */
    public record Set(Template subject, Template text, Template html) {
    }

    private final Map<NotificationKind, Set> templates;

    private MailTemplates(Map<NotificationKind, Set> templates) {
        this.templates = templates;
    }

    public static MailTemplates fromClasspath() {
        Map<NotificationKind, Set> templates = new EnumMap<>(NotificationKind.class);
        for (NotificationKind kind : NotificationKind.values()) {
            String base = "templates/" + kind.name().toLowerCase(Locale.ROOT);
            templates.put(kind, new Set(load(base + ".subject.txt"), load(base + ".txt"), load(base + ".html")));
        }
        return new MailTemplates(templates);
    }

    public Set of(NotificationKind kind) {
        return templates.get(kind);
    }

    private static Template load(String path) {
        try (InputStream in = MailTemplates.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("mail template missing from the class path: " + path);
            }
            return new Template(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mail template " + path, e);
        }
    }
}
