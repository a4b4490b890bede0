package com.oneclick.request.status;

import com.oneclick.model.InstanceRequest;

import java.util.List;

/**
 * A request as {@code GET /api/requests/{id}} shows it: an immutable snapshot.
 *
 * @param product  the catalog product asked for (e.g. {@code aurora-mysql}); null while only events
 *                 without the request were seen
 * @param instance what the build made, once provisioned
 */
public record RequestView(String requestId, RequestStatus status, String product, InstanceRequest request,
                          InstanceView instance, String reason, List<TimelineEntry> timeline) {

    public RequestView {
        timeline = List.copyOf(timeline);
    }
}
