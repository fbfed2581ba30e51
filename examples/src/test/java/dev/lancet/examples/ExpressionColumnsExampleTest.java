package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.CliRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL-expression columns example script through lancet-sql. */
class ExpressionColumnsExampleTest {
  @TempDir Path warehouse;

  @Test
  void expressionColumnsAreComputedAndAnUpdateRecomputesItsRowOnly() {
    CliRun run = CliRun.run(warehouse, "", "-f", "sql/expression_columns.sql");
    assertEquals(0, run.code(), run.err());
    List<String> rows = run.rows("[123]", " ");
    // The first SELECT, then the second after the update and the new expression.
    assertEquals(
        List.of("1 2073600 hd 5", "2 307200 sd 2", "3 8294400 4k -1", "1 4k 5", "2 sd 2", "3 4k 0"),
        rows,
        run.out());
    // BACKFILL shots (quality) after the update: one row.
    assertTrue(
        run.rows("quality", " ").stream().anyMatch(r -> r.startsWith("quality 1 ")), run.out());
  }
}
