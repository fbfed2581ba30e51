package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.spark.testing.CliRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load-columns example script through lancet-sql. */
class LoadColumnsExampleTest {
  @TempDir Path warehouse;

  @Test
  void columnsLoadByKeyAndALoadAgainTakesOnlyTheNewRowsThenTheChangedSource() {
    CliRun run = CliRun.run(warehouse, "", "-f", "sql/load_columns.sql");
    assertEquals(0, run.code(), run.err());
    assertEquals(
        List.of(
            "1 kettle 0.9 kitchen",
            "2 toaster 0.4 kitchen",
            "3 lamp NULL NULL",
            "4 chair 0.7 furniture",
            "1 kettle 0.9 kitchen",
            "2 toaster 0.4 kitchen",
            "3 lamp NULL NULL",
            "4 chair 0.7 furniture",
            "5 desk 0.2 furniture"),
        run.rows("[1-5]", " "),
        run.out());
    // Each LOAD's row: 4 rows, then none (the same source), then all 5 (the source changed).
    assertEquals(
        List.of("4", "0", "5"),
        run.rows("popularity", " ").stream()
            .filter(r -> r.matches("popularity \\d+ .*"))
            .map(r -> r.split(" ")[1])
            .toList(),
        run.out());
  }
}
