package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.CliRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sibling columns example script through lancet-sql. */
class SiblingColumnsExampleTest {
  @TempDir Path warehouse;

  @Test
  void oneCallPerRowFillsEverySiblingAndAnUpdateRecomputesItsRowOnly() {
    CliRun run = CliRun.run(warehouse, "", "-f", "sql/sibling_columns.sql");
    assertEquals(0, run.code(), run.err());
    List<String> rows =
        run.out()
            .lines()
            .filter(l -> l.matches("\\| [123] +\\|.*"))
            .map(l -> l.replaceAll("[| ]+", " ").trim())
            .toList();
    assertEquals(
        List.of(
            "1 2073600 1.78 hd",
            "2 307200 1.33 sd",
            "3 8294400 1.78 4k",
            "1 2073600 1.78 hd",
            "2 8294400 1.78 4k",
            "3 8294400 1.78 4k"),
        rows,
        run.out());
    // BACKFILL frames (quality): 3 rows for the group; after the update, 1; then nothing.
    List<String> backfills =
        run.out().lines().filter(l -> l.matches("\\| pixels +\\| \\d+ +\\|.*")).toList();
    assertTrue(backfills.size() >= 2, run.out());
    assertTrue(backfills.get(0).matches("\\| pixels +\\| 3 +\\|.*"), run.out());
    assertTrue(backfills.get(1).matches("\\| pixels +\\| 1 +\\|.*"), run.out());
    assertTrue(backfills.get(2).matches("\\| pixels +\\| 0 +\\|.*"), run.out());
  }
}
