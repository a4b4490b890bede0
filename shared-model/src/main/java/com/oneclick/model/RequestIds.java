package com.oneclick.model;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Request identifiers: lowercase UUIDs. They become directory names ({@code stacks/<id>}) and URL
 * segments, so every service checks an id with {@link #isValid} before using it.
 */
public final class RequestIds {

    private static final Pattern FORMAT =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private RequestIds() {
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    public static boolean isValid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }
}
