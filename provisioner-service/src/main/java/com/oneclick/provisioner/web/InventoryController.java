package com.oneclick.provisioner.web;

import com.oneclick.model.RequestIds;
import com.oneclick.provisioner.inventory.CsvInventory;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.spring.InvalidInputException;
import com.oneclick.spring.NotFoundException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Read-only view of the inventory: JSON rows (the request nested under {@code "request"}, as in
 * request-service's status view), or the CSV file itself (flat columns) with {@code Accept: text/csv}.
 */
@RestController
@RequestMapping("/api/inventory")
public class InventoryController {

    static final String TEXT_CSV = "text/csv";

    private final CsvInventory inventory;

    public InventoryController(CsvInventory inventory) {
        this.inventory = inventory;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public List<InventoryRow> rows() {
        return inventory.all();
    }

    @GetMapping(produces = TEXT_CSV + ";charset=UTF-8")
    public String csv() {
        return inventory.csv();
    }

    @GetMapping(path = "/{requestId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public InventoryRow row(@PathVariable String requestId) {
        if (!RequestIds.isValid(requestId)) {
            throw new InvalidInputException("requestId", "must be a request ID (lowercase UUID)");
        }
        return inventory.find(requestId).orElseThrow(() -> new NotFoundException("no inventory row for " + requestId));
    }
}
