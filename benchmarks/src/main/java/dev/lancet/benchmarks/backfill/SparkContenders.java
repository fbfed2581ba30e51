package dev.lancet.benchmarks.backfill;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The contenders that run in a Spark session: Lancet's BACKFILL and what a Spark user does without it. */
final class SparkContenders {
  private SparkContenders() {}

  /** Lancet through SQL: ALTER TABLE ... ADD COLUMN ... USING UDF once, then a timed BACKFILL. */
  record LancetBackfill(SparkSession spark, boolean batched, boolean checkpoint, int concurrency) implements Contender {
    @Override
    public boolean supports(Workload w) {
      return !batched || w.batchedUdf() != null;
    }

    @Override
    public void prepare(Workload w, String uri) {
      boolean present = List.of(spark.table(BenchSpark.table(uri)).columns()).contains(w.column());
      if (!present) {
        spark.sql("ALTER TABLE " + BenchSpark.table(uri) + " ADD COLUMN " + w.column() + " USING UDF '"
            + (batched ? w.batchedUdf() : w.scalarUdf()) + "' INPUTS (" + String.join(", ", w.inputs()) + ")");
      }
    }

    @Override
    public String run(Workload w, String uri, Path scratch) {
      List<Row> rows = spark.sql("BACKFILL " + BenchSpark.table(uri) + " (" + w.column() + ") OPTIONS (checkpoint = "
          + checkpoint + ", concurrency = " + concurrency + ")").collectAsList();
      if (rows.get(0).getLong(1) <= 0) {
        throw new IllegalStateException("BACKFILL computed nothing: " + rows);
      }
      return uri;
    }
  }

  /** A Spark user today: read the table, withColumn, write the whole table anew through lance-spark. */
  record Rewrite(SparkSession spark, boolean nativeExpression) implements Contender {
    @Override
    public boolean supports(Workload w) {
      return !(nativeExpression && w.embedding());
    }

    @Override
    public String run(Workload w, String uri, Path scratch) {
      String out = scratch.resolve("rewritten.lance").toString();
      String expr = w.embedding() ? "bench_embedding(text)"
          : nativeExpression ? "CAST(x AS BIGINT) * y" : "bench_area(x, y)";
      spark.read().format("lance").load(uri).selectExpr("*", expr + " AS __computed")
          .drop(w.column()).withColumnRenamed("__computed", w.column())
          .write().format("lance").save(out);
      return out;
    }
  }

  /** lance-spark's own backfill: the column computed by Spark, added with ALTER TABLE ... ADD COLUMNS ... FROM view. */
  record LanceSparkAddColumns(SparkSession spark) implements Contender {
    @Override
    public boolean supports(Workload w) {
      return !w.incremental(); // it adds a new column; it cannot fill the new rows of an existing one
    }

    @Override
    public String run(Workload w, String uri, Path scratch) {
      String expr = w.embedding() ? "bench_embedding(text)" : "CAST(x AS BIGINT) * y";
      spark.sql("CREATE OR REPLACE TEMPORARY VIEW bench_new_column AS SELECT _rowaddr, _fragid, " + expr + " AS "
          + w.column() + " FROM " + BenchSpark.table(uri));
      spark.sql("ALTER TABLE " + BenchSpark.table(uri) + " ADD COLUMNS " + w.column() + " FROM bench_new_column");
      return uri;
    }
  }
}
