package com.oneclick.provisioner.inventory;

import java.util.List;
import java.util.Optional;

/** The port to the provisioner's record of requests: one row per request ID. */
public interface Inventory {

    Optional<InventoryRow> find(String requestId);

    /** Inserts or replaces the row of {@code row.requestId()}; durable when it returns. */
    void save(InventoryRow row);

    /** All rows, oldest first. */
    List<InventoryRow> all();
}
