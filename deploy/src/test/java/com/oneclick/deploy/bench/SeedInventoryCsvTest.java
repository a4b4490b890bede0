package com.oneclick.deploy.bench;

import com.oneclick.model.InstanceRequest;
import com.oneclick.provisioner.inventory.CsvInventory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SeedInventoryCsvTest {

    @Test
    void cellsAreQuotedWithQuotesDoubledAndNoValueIsAnEmptyUnquotedCell() {
        assertThat(SeedInventoryCsv.cell("web-1")).isEqualTo("\"web-1\"");
        assertThat(SeedInventoryCsv.cell("{\"team\":\"bench\"}")).isEqualTo("\"{\"\"team\"\":\"\"bench\"\"}\"");
        assertThat(SeedInventoryCsv.cell("")).isEqualTo("\"\"");
        assertThat(SeedInventoryCsv.cell(null)).isEmpty();
    }

    @Test
    void theSeededLayoutIsTheProvisionersCurrentOneSoASeededFileIsNotRewrittenOnStart() {
        // given
        InstanceRequest request = new InstanceRequest("web-1", "dev@example.com", "eu-west-1", "vpc-0a1b2c3d",
                "subnet-0a1b2c3d", "t3.micro", "ami-0a1b2c3d4e5f67890", "bench", 8, List.of(), Map.of(), 24);
        SeedInventoryCsv.Row row = new SeedInventoryCsv.Row("0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", request,
                "0123456789abcdef0123456789abcdef01234567", 1, Instant.parse("2026-01-05T10:00:00Z"));

        // when
        String[] cells = row.cells();

        // then
        assertThat(SeedInventoryCsv.COLUMNS).isEqualTo(CsvInventory.COLUMNS);
        assertThat(cells).hasSameSizeAs(CsvInventory.COLUMNS);
        assertThat(cells[CsvInventory.COLUMNS.indexOf("timeToLiveHours")]).isEqualTo("24");
        assertThat(cells[CsvInventory.COLUMNS.indexOf("failurePhase")]).isNull();
        assertThat(cells[CsvInventory.COLUMNS.indexOf("createdAt")]).isEqualTo("2026-01-05T10:00:00Z");
    }

    @Test
    void aValueASpreadsheetWouldRunAsAFormulaGetsALeadingApostrophe() {
        assertThat(SeedInventoryCsv.cell("=1+1")).isEqualTo("\"'=1+1\"");
        assertThat(SeedInventoryCsv.cell("'quoted")).isEqualTo("\"''quoted\"");
    }
}
