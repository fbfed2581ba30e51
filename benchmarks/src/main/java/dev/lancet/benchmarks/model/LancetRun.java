package dev.lancet.benchmarks.model;

import dev.lancet.benchmarks.backfill.BenchSpark;
import dev.lancet.benchmarks.backfill.TableFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Lancet on the model workload, as a user runs it: the column is declared with the UDF's jars
 * (pinned, untimed), then {@code BACKFILL} is timed.
 */
final class LancetRun {
  /** A timed backfill: its seconds and the table it filled. */
  record Result(double seconds, Path table) {}

  private final SparkSession spark;
  private final String jars;
  private final String udf;

  LancetRun(SparkSession spark, List<Path> jars, String udf) {
    this.spark = spark;
    this.jars =
        jars.stream().map(j -> "'" + j.toAbsolutePath() + "'").collect(Collectors.joining(", "));
    this.udf = udf;
  }

  Result run(Path tables, Path base, String name, int workers) {
    Path copy = tables.resolve(name + ".lance");
    TableFiles.copy(base, copy);
    String table = BenchSpark.table(copy.toString());
    spark.sql(
        "ALTER TABLE "
            + table
            + " ADD COLUMN embedding USING UDF '"
            + udf
            + "' JARS ("
            + jars
            + ")");
    long t0 = System.nanoTime();
    List<Row> rows =
        spark
            .sql("BACKFILL " + table + " (embedding) OPTIONS (concurrency = " + workers + ")")
            .collectAsList();
    double seconds = (System.nanoTime() - t0) / 1e9;
    long computed = rows.get(0).getLong(1);
    long expected = spark.read().format("lance").load(copy.toString()).count();
    if (computed != expected) {
      throw new IllegalStateException(
          "BACKFILL computed " + computed + " of " + expected + " rows");
    }
    return new Result(seconds, copy);
  }
}
