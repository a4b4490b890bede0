package com.oneclick.model.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The request's stack was committed and pushed to the infrastructure repository.
 * {@code expiresAt} is the expiry the stack tags the instance with (approval time + the request's
 * time-to-live); null when the request has none.
 */
public record StackPushed(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                          String commitId, String branch, String stackPath, Instant expiresAt) implements RequestEvent {

    /** A stack without an expiry (events written before {@code expiresAt} existed read the same way). */
    public StackPushed(UUID eventId, String requestId, Instant occurredAt, int schemaVersion, String commitId,
                       String branch, String stackPath) {
        this(eventId, requestId, occurredAt, schemaVersion, commitId, branch, stackPath, null);
    }

    public static StackPushed of(String requestId, String commitId, String branch, String stackPath) {
        return of(requestId, commitId, branch, stackPath, null);
    }

    public static StackPushed of(String requestId, String commitId, String branch, String stackPath,
                                 Instant expiresAt) {
        return new StackPushed(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, commitId, branch, stackPath,
                expiresAt);
    }
}
