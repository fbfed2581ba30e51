package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.backfill.BackfillResult;
import dev.lancet.spark.Lancet;
import dev.lancet.spark.LancetTable;
import dev.lancet.spark.VirtualColumn;
import dev.lancet.spark.testing.CliRun;
import dev.lancet.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sibling columns example script through lancet-sql. */
class SiblingColumnsExampleTest {
  @TempDir Path warehouse;

  @Test
  void theJavaApiAddsSiblingColumnsAndABackfillOfAnyOfThemComputesTheGroup() {
    try (SparkTestSession session = new SparkTestSession()) {
      SparkSession spark = session.spark();
      spark.sql("CREATE TABLE shots (id INT, width INT, height INT)");
      spark.sql("INSERT INTO shots VALUES (1, 1920, 1080), (2, 640, 480)");
      LancetTable shots =
          Lancet.table(spark, "shots")
              .addSiblingColumns(
                  List.of("pixels", "aspect", "quality"), VirtualColumn.of(FrameFormat.class));
      assertEquals(
          Map.of("pixels", List.of("pixels", "aspect", "quality")), shots.siblingColumns());
      assertEquals(
          "struct<pixels:bigint,aspect:double,quality:string>",
          shots.virtualColumns().get("pixels").outputType());
      List<BackfillResult> results = shots.backfill(List.of("quality", "aspect"), null, Map.of());
      assertEquals(1, results.size());
      assertEquals("pixels", results.get(0).column());
      assertEquals(2L, results.get(0).rowsComputed());
      Row hd = spark.sql("SELECT pixels, quality FROM shots WHERE id = 1").first();
      assertEquals(2073600L, hd.getLong(0));
      assertEquals("hd", hd.getString(1));
    }
  }

  @Test
  void oneCallPerRowFillsEverySiblingAndAnUpdateRecomputesItsRowOnly() {
    CliRun run = CliRun.run(warehouse, "", "-f", "sql/sibling_columns.sql");
    assertEquals(0, run.code(), run.err());
    List<String> rows = run.rows("[123]", " ");
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
    List<String> computed =
        run.rows("pixels", " ").stream()
            .filter(r -> r.matches("pixels \\d+ .*"))
            .map(r -> r.split(" ")[1])
            .toList();
    assertEquals(List.of("3", "1", "0"), computed, run.out());
  }
}
