package com.oneclick.model.events;

import java.time.Instant;
import java.util.UUID;

/** The build that applies the stack started; {@code mode} is {@code local} or {@code codebuild}. */
public record BuildStarted(UUID eventId, String requestId, Instant occurredAt, int schemaVersion,
                           String buildId, String mode) implements RequestEvent {

    public static BuildStarted of(String requestId, String buildId, String mode) {
        return new BuildStarted(UUID.randomUUID(), requestId, Instant.now(), SCHEMA_VERSION, buildId, mode);
    }
}
