package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.backfill.BackfillResult;
import dev.lancet.spark.Lancet;
import dev.lancet.spark.LancetTable;
import dev.lancet.spark.testing.CliRun;
import dev.lancet.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load-columns example script through lancet-sql. */
class LoadColumnsExampleTest {
  @TempDir Path warehouse;

  @Test
  void theJavaApiLoadsAQuerysResultByKey() {
    try (SparkTestSession session = new SparkTestSession()) {
      SparkSession spark = session.spark();
      spark.sql("CREATE TABLE items (id BIGINT, name STRING)");
      spark.sql("INSERT INTO items SELECT id, concat('item', id) FROM range(0, 6)");
      Dataset<Row> scores = spark.sql("SELECT id, id * 2 AS doubled FROM range(2, 10)");
      LancetTable items = Lancet.table(spark, "items");
      List<BackfillResult> first = items.loadColumns(List.of("doubled"), scores, "id", Map.of());
      assertEquals(6L, first.get(0).rowsComputed());
      assertEquals(
          List.of("0 null", "1 null", "2 4", "5 10"),
          spark
              .sql("SELECT id, doubled FROM items WHERE id IN (0, 1, 2, 5) ORDER BY id")
              .collectAsList()
              .stream()
              .map(r -> r.get(0) + " " + r.get(1))
              .toList());
      assertEquals(
          0L, items.loadColumns(List.of("doubled"), scores, "id", Map.of()).get(0).rowsComputed());
    }
  }

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
