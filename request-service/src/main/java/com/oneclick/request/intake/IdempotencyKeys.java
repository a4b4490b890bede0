package com.oneclick.request.intake;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Idempotency keys: what a client (the REST {@code Idempotency-Key} header) or the web form (its
 * one-time token) sends so that a repeated submission does not make a second request.
 *
 * <p>The request ID is <em>derived</em> from the key (a name-based UUID), not drawn at random. A
 * retry after an ambiguous failure (a 503 after which the event may still have reached the broker)
 * therefore names the same request: at worst it publishes a second {@code RequestSubmitted} for the
 * same request ID, which every consumer folds into the one request it already has. And the key ->
 * request mapping needs no store of its own: the status view, rebuilt from the topics on every
 * start, already holds every request by ID.
 *
 * <p>A key is scoped to the requester (the request's email, in lower case): two requesters who
 * happen to use the same key get two requests, and neither learns of the other's.
 */
public final class IdempotencyKeys {

    public static final int MAX_LENGTH = 255;
    public static final String RULE = "must be 1 to " + MAX_LENGTH + " visible ASCII characters (a UUID is a good key)";

    private static final Pattern FORMAT = Pattern.compile("^[\\x21-\\x7E]{1," + MAX_LENGTH + "}$");
    private static final String NAMESPACE = "oneclick:idempotency-key:";

    private IdempotencyKeys() {
    }

    public static boolean isValid(String key) {
        return key != null && FORMAT.matcher(key).matches();
    }

    /**
     * The request ID a requester's key stands for: a lowercase UUID, the same for the same
     * requester and key, always.
     */
    public static String requestId(String requesterEmail, String key) {
        if (!isValid(key)) {
            throw new IllegalArgumentException("not a valid idempotency key");
        }
        if (requesterEmail == null || requesterEmail.isBlank()) {
            throw new IllegalArgumentException("a key is scoped to a requester");
        }
        String scoped = NAMESPACE + requesterEmail.strip().toLowerCase(Locale.ROOT) + "\n" + key;
        return UUID.nameUUIDFromBytes(scoped.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
