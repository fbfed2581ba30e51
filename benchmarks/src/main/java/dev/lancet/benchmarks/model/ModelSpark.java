package dev.lancet.benchmarks.model;

import dev.lancet.benchmarks.backfill.BenchSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The model workload's Spark session and its reads: the texts, and the embeddings' check. */
final class ModelSpark {
  private ModelSpark() {}

  /** The benchmark's session over {@code tables}: a table {@code <tables>/t.lance} is bench.t. */
  static SparkSession start(Path tables, int workers) throws Exception {
    return BenchSpark.start(tables, workers);
  }

  /** The table's texts in id order (ids are 0 .. rows - 1). */
  static List<String> texts(SparkSession spark, Path table) {
    return spark
        .read()
        .format("lance")
        .load(table.toString())
        .orderBy("id")
        .select("text")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  /** The least cosine between the table's embeddings and the loop's, row by row (by id). */
  static double minCosine(SparkSession spark, Path table, float[][] reference) {
    List<Row> rows =
        spark
            .read()
            .format("lance")
            .load(table.toString())
            .select("id", "embedding")
            .collectAsList();
    if (rows.size() != reference.length) {
      throw new IllegalStateException(table + " has " + rows.size() + " rows");
    }
    double min = 1;
    for (Row row : rows) {
      List<Float> e = row.getList(1);
      float[] ref = reference[(int) row.getLong(0)];
      double dot = 0;
      for (int d = 0; d < ref.length; d++) {
        dot += (double) e.get(d) * ref[d];
      }
      min = Math.min(min, dot);
    }
    return min;
  }
}
