package com.oneclick.model.events;

import java.time.Instant;
import java.util.UUID;

/** The request's stack was committed and pushed to the infrastructure repository. */
public record StackPushed(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                          String commitId, String branch, String stackPath) implements RequestEvent {

    public static StackPushed of(String requestId, String commitId, String branch, String stackPath) {
        return new StackPushed(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, commitId, branch, stackPath);
    }
}
