package com.oneclick.provisioner.inventory;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The port to the provisioner's record of requests: one row per request ID. */
public interface Inventory {

    Optional<InventoryRow> find(String requestId);

    /** Inserts or replaces the row of {@code row.requestId()}; durable when it returns. */
    default void save(InventoryRow row) {
        saveAll(List.of(row));
    }

    /** Inserts or replaces each row; all of them durable when it returns. */
    void saveAll(Collection<InventoryRow> rows);

    /** All rows, oldest first. */
    List<InventoryRow> all();

    /**
     * The rows with work left: not final, or final with the outcome not yet published; oldest first.
     * Cheap whatever the size of the inventory.
     */
    List<InventoryRow> unfinished();

    /** Rows in all. */
    int size();
}
