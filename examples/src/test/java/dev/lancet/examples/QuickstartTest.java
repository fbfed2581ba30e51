package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.cli.LancetSql;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quickstart, run through the launcher's own entry point on a fresh warehouse. */
class QuickstartTest {
  private static final Path QUICKSTART = Path.of("sql/quickstart.sql");

  @TempDir Path warehouse;

  /** What one run of the CLI printed and returned. */
  record Run(int code, String out, String err) {}

  private Run cli(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--warehouse", warehouse.toString(), "--master", "local[2]"));
    int code = LancetSql.run(all, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The data rows of the last table printed, as cells. */
  private static List<String[]> lastTable(String out) {
    List<String[]> rows = new ArrayList<>();
    String[] lines = out.split("\n");
    int header = -1;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("| filename")) {
        header = i;
      }
    }
    for (int i = header + 2; i < lines.length && lines[i].startsWith("|"); i++) {
      String[] cells = lines[i].substring(1).split("\\|");
      for (int c = 0; c < cells.length; c++) {
        cells[c] = cells[c].trim();
      }
      rows.add(cells);
    }
    return rows;
  }

  @Test
  void quickstartShowsTheComputedAreaAndRunsAgainOnTheSameWarehouse() {
    for (int attempt = 1; attempt <= 2; attempt++) {
      Run run = cli("", "-f", QUICKSTART.toString());
      assertEquals(0, run.code(), "attempt " + attempt + " failed:\n" + run.err());
      List<String[]> rows = lastTable(run.out());
      assertEquals(10, rows.size(), run.out());
      for (String[] row : rows) {
        long x = Long.parseLong(row[1]);
        long y = Long.parseLong(row[2]);
        assertEquals(x * y, Long.parseLong(row[3]), "area of " + row[0]);
      }
      assertTrue(rows.stream().anyMatch(r -> List.of(r).equals(List.of("cat.mp4", "1920", "1080", "2073600"))), run.out());
    }
  }

  @Test
  void badStatementPrintsOneLineErrorWithoutStackTraceAndExitsNonZero() {
    Run run = cli("", "-e", "CREATE TABLE t (x INT, y INT); ALTER TABLE t ADD COLUMN area USING UDF 'com.acme.Nope'; SELECT 1");
    assertEquals(1, run.code());
    assertTrue(run.err().contains("Error: UDF class 'com.acme.Nope' was not found on the classpath\n"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace without --verbose:\n" + run.err());
    assertFalse(run.out().contains("| 1 |"), "statements after the error do not run");
  }

  @Test
  void interactivePromptRunsStatementsEndedBySemicolonsAndKeepsGoingAfterAnError() {
    Run run = cli("SELECT 1 AS one;\nBACKFIL t (c);\nSELECT\n 2 AS two;\nexit;\n");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("| one |\n+-----+\n| 1   |"), run.out());
    assertTrue(run.out().contains("| two |"), run.out());
    assertTrue(run.err().contains("Syntax error at or near 'BACKFIL'"), run.err());
    assertTrue(run.out().contains("lancet-sql> "), run.out());
  }
}
