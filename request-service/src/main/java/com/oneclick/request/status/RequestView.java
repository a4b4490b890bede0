package com.oneclick.request.status;

import com.oneclick.model.InstanceRequest;

import java.util.List;

/** A request as {@code GET /api/requests/{id}} shows it: an immutable snapshot. */
public record RequestView(String requestId, RequestStatus status, InstanceRequest request, InstanceView instance,
                          String reason, List<TimelineEntry> timeline) {

    public RequestView {
        timeline = List.copyOf(timeline);
    }
}
