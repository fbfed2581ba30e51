package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.CliRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quickstart, run through the launcher's own entry point on a fresh warehouse. */
class QuickstartTest {
  private static final Path QUICKSTART = Path.of("sql/quickstart.sql");

  @TempDir Path warehouse;

  private CliRun cli(String stdin, String... args) {
    return CliRun.run(warehouse, stdin, args);
  }

  private static List<String[]> lastTable(String out) {
    return CliRun.lastTable(out);
  }

  @Test
  void quickstartShowsTheComputedAreaAndRunsAgainOnTheSameWarehouse() {
    for (int attempt = 1; attempt <= 2; attempt++) {
      CliRun run = cli("", "-f", QUICKSTART.toString());
      assertEquals(0, run.code(), "attempt " + attempt + " failed:\n" + run.err());
      List<String[]> rows = lastTable(run.out());
      assertEquals(10, rows.size(), run.out());
      for (String[] row : rows) {
        long x = Long.parseLong(row[1]);
        long y = Long.parseLong(row[2]);
        assertEquals(x * y, Long.parseLong(row[3]), "area of " + row[0]);
      }
      assertTrue(
          rows.stream()
              .anyMatch(r -> List.of(r).equals(List.of("cat.mp4", "1920", "1080", "2073600"))),
          run.out());
    }
  }

  @Test
  void badStatementPrintsOneLineErrorWithoutStackTraceAndExitsNonZero() {
    CliRun run =
        cli(
            "",
            "-e",
            "CREATE TABLE t (x INT, y INT); ALTER TABLE t ADD COLUMN area USING UDF"
                + " 'com.acme.Nope'; SELECT 1");
    assertEquals(1, run.code());
    assertTrue(
        run.err()
            .contains(
                "Error: [LANCET_UDF_NOT_FOUND] UDF class 'com.acme.Nope' was not found on the"
                    + " classpath\n"),
        run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace without --verbose:\n" + run.err());
    assertFalse(run.out().contains("| 1 |"), "statements after the error do not run");
  }

  @Test
  void interactivePromptRunsStatementsEndedBySemicolonsAndKeepsGoingAfterAnError() {
    CliRun run = cli("SELECT 1 AS one;\nBACKFIL t (c);\nSELECT\n 2 AS two;\nexit;\n");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("| one |\n+-----+\n| 1   |"), run.out());
    assertTrue(run.out().contains("| two |"), run.out());
    assertTrue(run.err().contains("Syntax error at or near 'BACKFIL'"), run.err());
    assertFalse(run.out().contains("lancet-sql>"), "no prompt when stdin is not a terminal");
  }
}
