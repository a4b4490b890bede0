package com.oneclick.model.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.oneclick.model.RequestIds;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.CarriesRequest;
import com.oneclick.model.events.EventType;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The wire format of events: JSON body, logical type in the {@value #TYPE_HEADER} header, request ID
 * as the record key. Reading checks everything a consumer relies on, so a consumer either gets a
 * sound event or an {@link UnreadableEventException} that says why.
 */
public final class EventJson {

    /** Kafka header holding the event's logical type (UTF-8 bytes). */
    public static final String TYPE_HEADER = "eventType";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private EventJson() {
    }

    /** A mapper configured like the event mapper, for modules that write related JSON. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    public static byte[] write(RequestEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + event.type().wireName(), e);
        }
    }

    /** The header value for an event: its logical type as UTF-8 bytes. */
    public static byte[] typeHeader(RequestEvent event) {
        return event.type().wireName().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads an event from its type header value (bytes or text, as header mappers hand them over)
     * and body, and checks envelope and content.
     */
    public static RequestEvent read(Object typeHeader, byte[] body) {
        String typeName = headerText(typeHeader);
        if (typeName == null) {
            throw new UnreadableEventException("missing '" + TYPE_HEADER + "' header");
        }
        EventType type = EventType.fromWireName(typeName)
                .orElseThrow(() -> new UnreadableEventException("unknown event type '" + typeName + "'"));
        return readAs(type.javaType(), body);
    }

    /** Reads an event of a known type and checks envelope and content. */
    public static <T extends RequestEvent> T readAs(Class<T> type, byte[] body) {
        if (body == null || body.length == 0) {
            throw new UnreadableEventException("empty record body");
        }
        T event;
        try {
            event = MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new UnreadableEventException("not a valid " + type.getSimpleName() + " JSON document: "
                    + firstLine(e.getMessage()), e);
        }
        if (event == null) {
            throw new UnreadableEventException("record body is JSON null");
        }
        check(event);
        return event;
    }

    private static void check(RequestEvent event) {
        if (event.schemaVersion() != RequestEvent.SCHEMA_VERSION) {
            throw new UnreadableEventException("unsupported schemaVersion " + event.schemaVersion()
                    + " (this service reads version " + RequestEvent.SCHEMA_VERSION + ")");
        }
        if (event.eventId() == null || event.occurredAt() == null) {
            throw new UnreadableEventException("eventId and occurredAt are required");
        }
        if (!RequestIds.isValid(event.requestId())) {
            throw new UnreadableEventException("requestId is missing or not a request ID");
        }
        if (event instanceof ApprovalRequested asked) {
            if (asked.approverEmails().isEmpty()) {
                throw new UnreadableEventException("ApprovalRequested names no approver");
            }
            for (int i = 0; i < asked.approverEmails().size(); i++) {
                if (!RequestValidator.isEmail(asked.approverEmails().get(i))) {
                    throw new UnreadableEventException("approverEmails[" + i + "] is not an email address");
                }
            }
            if (asked.requiredApprovals() < 1) {
                throw new UnreadableEventException("requiredApprovals must be at least 1");
            }
        }
        if (event instanceof CarriesRequest carrier) {
            List<FieldViolation> violations = RequestValidator.validate(carrier.request());
            if (!violations.isEmpty()) {
                throw new UnreadableEventException("the request breaks the rules: " + violations.stream()
                        .map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; ")));
            }
        }
    }

    private static String headerText(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof String text) {
            return text;
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
