package dev.lancet.benchmarks.backfill;

import dev.lancet.benchmarks.ResultsMarkdown;
import dev.lancet.benchmarks.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Issue 23's fixed cost: a BACKFILL with nothing to do, in one open session. A table of {@code
 * rows} rows in 10 fragments is backfilled once; then, timed from {@code spark.sql} to the
 * collected result: the session's first statements (its JIT still compiling), the same table again
 * after a warm-up, the first statement on each fresh copy of the table (a table the session has not
 * seen), and Spark's own floor for a command ({@code SET}).
 */
public final class NothingToDo {
  private static final String AREA = "dev.lancet.examples.Area";

  private NothingToDo() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int copies = 10;
    int reps = 50;
    Path root = Files.createTempDirectory("lancet-nothing-to-do");
    try {
      SparkSession spark = BenchSpark.start(root, 2);
      String table = BenchSpark.CATALOG + ".t"; // <root>/t.lance
      spark.sql("CREATE TABLE " + table + " (id BIGINT, x INT, y INT)");
      spark.sql(
          "INSERT INTO "
              + table
              + " SELECT /*+ REPARTITION(10) */ id, CAST(id % 1000 AS INT), CAST(id % 777 AS INT)"
              + " FROM range("
              + rows
              + ")");
      spark.sql("ALTER TABLE " + table + " ADD COLUMN area USING UDF '" + AREA + "' INPUTS (x, y)");
      spark.sql("BACKFILL " + table + " (area)").collectAsList();
      List<Double> cold = new ArrayList<>();
      for (int r = 0; r < 10; r++) {
        cold.add(backfill(spark, table));
      }
      for (int r = 0; r < warmups; r++) {
        backfill(spark, table);
      }
      List<Double> same = new ArrayList<>();
      List<Double> floor = new ArrayList<>();
      for (int r = 0; r < reps; r++) {
        same.add(backfill(spark, table));
        long t0 = System.nanoTime();
        spark.sql("SET spark.lancet.bench.x = " + r).collectAsList();
        floor.add((System.nanoTime() - t0) / 1e6);
      }
      List<Double> fresh = new ArrayList<>();
      for (int c = 0; c < copies; c++) {
        TableFiles.copy(root.resolve("t.lance"), root.resolve("c" + c + ".lance"));
        fresh.add(backfill(spark, BenchSpark.CATALOG + ".c" + c));
      }
      spark.stop();
      report(rows, warmups, copies, reps, cold, same, fresh, floor);
    } finally {
      TableFiles.delete(root);
    }
  }

  /** One BACKFILL that must compute nothing; its time in milliseconds. */
  private static double backfill(SparkSession spark, String table) {
    long t0 = System.nanoTime();
    List<Row> out = spark.sql("BACKFILL " + table + " (area)").collectAsList();
    double ms = (System.nanoTime() - t0) / 1e6;
    long computed = out.get(0).getLong(out.get(0).fieldIndex("rows_computed"));
    if (computed != 0) {
      throw new IllegalStateException(table + ": a rerun computed " + computed + " rows");
    }
    return ms;
  }

  private static void report(
      long rows,
      int warmups,
      int copies,
      int reps,
      List<Double> cold,
      List<Double> same,
      List<Double> fresh,
      List<Double> floor)
      throws Exception {
    double freshMs = median(fresh);
    String md =
        String.format(
            Locale.ROOT,
            "## Backfill with nothing to do, in an open session (issue 23)%n%nCommand:"
                + " `benchmarks/run nothing-to-do %d %d`. Machine: %d cores; %s. One session"
                + " (local[2]); a table of %,d rows in 10 fragments, backfilled once. Times"
                + " from `spark.sql` to the collected result, medians (min-max).%n%n"
                + "| statement | median ms | min-max ms |%n|---|---:|---|%n"
                + "| the session's first 10 BACKFILLs after the table's own (JIT cold) | %.1f"
                + " | %s |%n"
                + "| the same table again, after %d warm-up statements (%d times) | %.1f | %s |%n"
                + "| the first BACKFILL on a fresh copy of the table (%d copies) | %.1f | %s |%n"
                + "| Spark's floor: `SET` (%d times) | %.1f | %s |%n%n"
                + "| target | measured | met |%n|---|---|---|%n"
                + "| a backfill with nothing to do under 30 ms in an open session (a fresh"
                + " copy, warm session) | %.1f ms | %s |%n%n",
            rows,
            warmups,
            Runtime.getRuntime().availableProcessors(),
            LocalDate.now(),
            rows,
            median(cold),
            range(cold),
            warmups,
            reps,
            median(same),
            range(same),
            copies,
            freshMs,
            range(fresh),
            reps,
            median(floor),
            range(floor),
            freshMs,
            freshMs < 30 ? "yes" : "**no**");
    System.out.print(md);
    ResultsMarkdown.replaceNamedSection("nothing-to-do", md);
  }

  private static double median(List<Double> ms) {
    return Stats.median(ms.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static String range(List<Double> ms) {
    double min = ms.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = ms.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return String.format(Locale.ROOT, "%.1f-%.1f", min, max);
  }
}
