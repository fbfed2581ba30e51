package dev.lancet.benchmarks.backfill;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The contenders that run in a Spark session: Lancet's BACKFILL and what a Spark user does without
 * it.
 */
final class SparkContenders {
  private SparkContenders() {}

  /** Which UDF a Lancet contender registers. */
  enum Variant {
    /** The workload's scalar UDF with its options. */
    SCALAR,
    /** The workload's batched UDF. */
    BATCHED,
    /** The async HTTP example against the benchmark's file server (io-bound only). */
    ASYNC,
    /**
     * The scalar UDF one call at a time (io-bound only): what max_in_flight is measured against.
     */
    ONE_IN_FLIGHT
  }

  /** Where the Spark engine is measured beside Ray's (issue 22). */
  static final List<String> SPARK_ENGINE_WORKLOADS =
      List.of("narrow", "embedding", "many-fragments", "io-bound");

  /** The original four workloads, where the Spark contenders and Lancet's ablations run. */
  static boolean original(Workload w) {
    return List.of(Workload.NARROW, Workload.WIDE, Workload.HEAVY, Workload.INCREMENTAL)
        .contains(w);
  }

  /** Lancet through SQL: ALTER TABLE ... ADD COLUMN ... USING UDF once, then a timed BACKFILL. */
  record LancetBackfill(
      SparkSession spark,
      Variant variant,
      boolean checkpoint,
      int concurrency,
      boolean ablation,
      String engine)
      implements Contender {
    /** On Ray, Lancet's default engine. */
    LancetBackfill(
        SparkSession spark,
        Variant variant,
        boolean checkpoint,
        int concurrency,
        boolean ablation) {
      this(spark, variant, checkpoint, concurrency, ablation, "ray");
    }

    @Override
    public boolean supports(Workload w) {
      if (engine.equals("spark")) {
        return variant == Variant.SCALAR && SPARK_ENGINE_WORKLOADS.contains(w.name());
      }
      if (ablation && !original(w) && w != Workload.BIG_FRAGMENT) {
        return false; // the ablations (no checkpoints, one worker) are measured on the original
        // workloads, and on the one big fragment that only a split lets two workers compute
      }
      return switch (variant) {
        case SCALAR -> true;
        case BATCHED -> w.batchedUdf() != null;
        case ASYNC, ONE_IN_FLIGHT -> w.output() == Workload.Output.SIZE;
      };
    }

    @Override
    public void prepare(Workload w, String uri) {
      boolean present = List.of(spark.table(BenchSpark.table(uri)).columns()).contains(w.column());
      if (present) {
        return;
      }
      String udf =
          switch (variant) {
            case BATCHED -> w.batchedUdf();
            case ASYNC -> "dev.lancet.examples.HttpContentLength";
            default -> w.scalarUdf();
          };
      String options =
          switch (variant) {
            case ASYNC ->
                "base_url = '"
                    + System.getProperty("lancet.bench.files-url")
                    + "', max_in_flight = 64";
            case ONE_IN_FLIGHT -> "max_in_flight = 1";
            default -> w.udfOptions();
          };
      spark.sql(
          "ALTER TABLE "
              + BenchSpark.table(uri)
              + " ADD COLUMN "
              + w.column()
              + " USING UDF '"
              + udf
              + "' INPUTS ("
              + String.join(", ", w.inputs())
              + ")"
              + (options.isBlank() ? "" : " OPTIONS (" + options + ")"));
    }

    @Override
    public String run(Workload w, String uri, Path scratch) {
      List<Row> rows =
          spark
              .sql(
                  "BACKFILL "
                      + BenchSpark.table(uri)
                      + " ("
                      + w.column()
                      + ")"
                      + (w.filter() == null ? "" : " WHERE " + w.filter())
                      + " OPTIONS (checkpoint = "
                      + checkpoint
                      + ", concurrency = "
                      + concurrency
                      + ", engine = '"
                      + engine
                      + "')")
              .collectAsList();
      long computed = rows.get(0).getLong(1);
      if (w.kind() == Workload.Kind.NOTHING_TO_DO
          ? computed != 0 || rows.get(0).getInt(5) != 0
          : computed <= 0) {
        throw new IllegalStateException(
            "BACKFILL computed "
                + computed
                + " rows in "
                + rows.get(0).getInt(5)
                + " commits: "
                + rows);
      }
      return uri;
    }
  }

  /**
   * A Spark user today: read the table, withColumn, write the whole table anew through lance-spark.
   */
  record Rewrite(SparkSession spark, boolean nativeExpression) implements Contender {
    @Override
    public boolean supports(Workload w) {
      return original(w) && !(nativeExpression && w.output() == Workload.Output.HASHED_TEXT);
    }

    @Override
    public String run(Workload w, String uri, Path scratch) {
      String out = scratch.resolve("rewritten.lance").toString();
      String expr =
          w.output() == Workload.Output.HASHED_TEXT
              ? "bench_embedding(text)"
              : nativeExpression ? "CAST(x AS BIGINT) * y" : "bench_area(x, y)";
      spark
          .read()
          .format("lance")
          .load(uri)
          .selectExpr("*", expr + " AS __computed")
          .drop(w.column())
          .withColumnRenamed("__computed", w.column())
          .write()
          .format("lance")
          .save(out);
      return out;
    }
  }

  /**
   * lance-spark's own backfill: the column computed by Spark, added with ALTER TABLE ... ADD
   * COLUMNS ... FROM view.
   */
  record LanceSparkAddColumns(SparkSession spark) implements Contender {
    @Override
    public boolean supports(Workload w) {
      return original(w)
          && !w.incremental(); // it adds a new column; it cannot fill the new rows of an existing
      // one
    }

    @Override
    public String run(Workload w, String uri, Path scratch) {
      String expr =
          w.output() == Workload.Output.HASHED_TEXT
              ? "bench_embedding(text)"
              : "CAST(x AS BIGINT) * y";
      spark.sql(
          "CREATE OR REPLACE TEMPORARY VIEW bench_new_column AS SELECT _rowaddr, _fragid, "
              + expr
              + " AS "
              + w.column()
              + " FROM "
              + BenchSpark.table(uri));
      spark.sql(
          "ALTER TABLE "
              + BenchSpark.table(uri)
              + " ADD COLUMNS "
              + w.column()
              + " FROM bench_new_column");
      return uri;
    }
  }
}
