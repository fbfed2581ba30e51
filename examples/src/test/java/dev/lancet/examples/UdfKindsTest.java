package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.BackfillResult;
import dev.lancet.spark.Lancet;
import dev.lancet.spark.LancetTable;
import dev.lancet.spark.VirtualColumn;
import dev.lancet.spark.testing.CliRun;
import dev.lancet.spark.testing.SparkTestSession;
import dev.lancet.udf.UdfKind;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every UDF kind end to end: through SQL (the example script) and through the Java API. */
class UdfKindsTest {
  @TempDir Path warehouse;

  @Test
  void everyKindRunsThroughSqlAndTheStatefulUdfSetsUpOncePerWorker() {
    int setups = HashEmbedding.setups();
    CliRun run = CliRun.run(warehouse, "", "-f", "sql/udf_kinds.sql");
    assertEquals(0, run.code(), run.err());
    List<String[]> rows = CliRun.lastTable(run.out());
    assertEquals(4, rows.size(), run.out());
    for (String[] r : rows) {
      String filename = r[0];
      assertEquals(String.valueOf(filename.length()), r[2], "filename_len of " + filename);
      assertEquals(r[2], r[3], "record-batch form agrees with the arrays form");
      assertEquals(
          filename.equals("a long name.mp4") ? "NULL" : "16",
          r[4],
          "embedding dims of " + filename);
    }
    assertEquals(
        "2073600", rows.stream().filter(r -> r[0].equals("cat.mp4")).findFirst().orElseThrow()[1]);
    // concurrency = 2 over at least 2 fragments: two workers, so setup() ran exactly twice.
    assertEquals(
        setups + 2,
        HashEmbedding.setups(),
        "setup() runs once per worker, not per batch (batch_size = 2)");
  }

  @Test
  void everyKindRunsThroughTheJavaApi() {
    try (SparkTestSession session = new SparkTestSession()) {
      SparkSession spark = session.spark();
      spark.sql("CREATE TABLE clips (filename STRING, caption STRING, x INT, y INT)");
      spark.sql("INSERT INTO clips VALUES ('cat.mp4', 'a cat', 3, 4), ('dog.mp4', NULL, 5, 6)");
      Map<String, VirtualColumn> columns = new LinkedHashMap<>();
      columns.put("area", VirtualColumn.of(Area.class));
      columns.put("len", VirtualColumn.of(FilenameLength.class));
      columns.put("len2", VirtualColumn.of(FilenameLengthBatch.class));
      columns.put(
          "emb",
          VirtualColumn.of(HashEmbedding.class).inputs("caption").options(Map.of("seed", "7")));
      LancetTable clips = Lancet.table(spark, "clips").addColumns(columns);

      assertEquals(UdfKind.SCALAR, clips.virtualColumns().get("area").kind());
      assertEquals(UdfKind.BATCHED, clips.virtualColumns().get("len").kind());
      assertEquals(UdfKind.RECORD_BATCH, clips.virtualColumns().get("len2").kind());
      assertEquals("float[16]", clips.virtualColumns().get("emb").outputType());

      List<BackfillResult> results =
          clips.backfill(List.of("area", "len", "len2", "emb"), null, Map.of("concurrency", "1"));
      assertEquals(
          List.of(2L, 2L, 2L, 2L), results.stream().map(BackfillResult::rowsComputed).toList());

      List<Row> rows = clips.toDF().orderBy("filename").collectAsList();
      Row cat = rows.get(0);
      assertEquals(12L, cat.getLong(cat.fieldIndex("area")));
      assertEquals(7, cat.getInt(cat.fieldIndex("len")));
      assertEquals(7, cat.getInt(cat.fieldIndex("len2")));
      List<Float> embedding = cat.getList(cat.fieldIndex("emb"));
      assertEquals(16, embedding.size());
      double norm = embedding.stream().mapToDouble(f -> f * f).sum();
      assertTrue(Math.abs(norm - 1) < 1e-4, "unit vector, got norm " + norm);
      assertNull(
          rows.get(1).get(rows.get(1).fieldIndex("emb")), "null caption gives a null embedding");
    }
  }
}
