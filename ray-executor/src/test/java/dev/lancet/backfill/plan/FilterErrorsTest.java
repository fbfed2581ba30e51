package dev.lancet.backfill.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FilterErrorsTest {
  @Test
  void aSyntaxErrorIsShownWithoutLancesInternalStatement() {
    assertEquals(
        "syntax error: Expected: an expression, found: >",
        FilterErrors.describe(
            "Invalid user input: Error parsing statement: SELECT 1 FROM t WHERE x >>> 3 (sql parser"
                + " error: Expected: an expression, found: >)"));
  }

  @Test
  void anUnknownColumnNamesTheTablesColumnsWithoutLancesMetadataColumns() {
    assertEquals(
        "no column named nocol; the table's columns are id, x, y, area",
        FilterErrors.describe(
            "LanceError(Schema): Schema error: No field named nocol. Valid fields are id, x, y,"
                + " area, _rowid, _rowaddr, _row_last_updated_at_version, _row_created_at_version,"
                + " _rowoffset., /workspace/rust/lance/src/dataset/scanner.rs:422:33"));
  }
}
