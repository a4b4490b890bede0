package com.oneclick.request.status;

/**
 * Where a request stands. Statuses only move forward: a status with a lower {@link #rank()} never
 * replaces one with a higher rank, so late or replayed events cannot move a request backwards.
 */
public enum RequestStatus {
    SUBMITTED(0),
    APPROVED(1),
    REJECTED(1),
    PUSHED(2),
    BUILDING(3),
    PROVISIONED(4),
    FAILED(4);

    private final int rank;

    RequestStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /** True when moving from {@code this} to {@code next} is a step forward. */
    public boolean isBefore(RequestStatus next) {
        return next.rank > rank;
    }
}
