package com.oneclick.deploy.bench;

import org.junit.jupiter.api.Test;

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
    void aValueASpreadsheetWouldRunAsAFormulaGetsALeadingApostrophe() {
        assertThat(SeedInventoryCsv.cell("=1+1")).isEqualTo("\"'=1+1\"");
        assertThat(SeedInventoryCsv.cell("'quoted")).isEqualTo("\"''quoted\"");
    }
}
