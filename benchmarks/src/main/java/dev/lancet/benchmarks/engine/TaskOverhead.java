package dev.lancet.benchmarks.engine;

import dev.lancet.benchmarks.ResultsMarkdown;
import dev.lancet.spark.LancetSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * The Spark engine's cost per work group (issue 22's target: under 5 ms): a table of many small
 * fragments, backfilled with one work group per fragment, so each Spark task computes a few rows. A
 * listener takes, for each task of the backfill's job, Spark's duration (launch to result at the
 * driver) and the time the task spent computing its group (the engine's {@code compute time (us)}
 * accumulator); the difference is the engine's overhead: scheduling, shipping the task and its
 * result, borrowing a worker. Measured in local mode (executors in the driver's JVM) and on {@code
 * local-cluster} (two executor JVMs). Usage: {@code benchmarks/run task-overhead [--fragments N]
 * [--rows R]}.
 */
public final class TaskOverhead {
  /** Target: overhead per work group, milliseconds (median). */
  static final double TARGET_MS = 5.0;

  /**
   * One task: Spark's duration, the time it computed, Spark's run time of the task's function (the
   * compute and Lancet's share of the task around it) and the time the executor took to deserialize
   * the task.
   */
  private record Task(long durationMs, double computeMs, long runMs, long deserializeMs) {
    double overheadMs() {
      return durationMs - computeMs;
    }
  }

  private record Run(
      String master,
      int tasks,
      double wallS,
      double medianMs,
      double p90Ms,
      double meanMs,
      double medianComputeMs,
      double meanInTaskMs,
      double meanDeserializeMs,
      double sparkFloorMs) {}

  private TaskOverhead() {}

  public static void main(String[] args) throws Exception {
    int fragments = intArg(args, "--fragments", 400);
    int rows = intArg(args, "--rows", 25);
    Path work =
        Path.of(System.getProperty("lancet.overhead.work", "benchmarks/target/overhead-work"));
    List<Run> runs = new ArrayList<>();
    for (String master : List.of("local[2]", "local-cluster[2,1,1024]")) {
      runs.add(measure(master, fragments, rows, work.resolve(master.replaceAll("[^a-z0-9]", "-"))));
    }
    String md = report(runs, fragments, rows);
    System.out.println(md);
    ResultsMarkdown.replaceNamedSection("task-overhead", md);
  }

  private static Run measure(String master, int fragments, int rows, Path dir) throws Exception {
    Files.createDirectories(dir);
    SparkSession.Builder builder =
        SparkSession.builder()
            .master(master)
            .appName("lancet-task-overhead")
            .config("spark.ui.enabled", "false");
    if (master.startsWith("local-cluster")) {
      List<Path> jars = new ArrayList<>();
      for (String p : System.getProperty("lancet.executor.classpath").split(":")) {
        jars.add(Path.of(p));
      }
      LancetSessions.executorConf(jars).forEach(builder::config);
    }
    SparkSession spark = LancetSessions.configure(builder, dir.resolve("wh")).getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    try {
      spark.sql("DROP TABLE IF EXISTS small");
      spark.sql("CREATE TABLE small (id BIGINT, x INT, y INT)");
      spark.sql(
          "INSERT INTO small SELECT /*+ REPARTITION("
              + fragments
              + ") */ id, CAST(id % 100 AS INT), 3 FROM range("
              + (long) fragments * rows
              + ")");
      spark.sql(
          "ALTER TABLE small ADD COLUMN area USING UDF"
              + " 'dev.lancet.benchmarks.BenchUdfs$BatchedArea' INPUTS (x, y)");
      // A warm-up backfill of another column: class loading and the executors' first tasks.
      spark.sql(
          "ALTER TABLE small ADD COLUMN warm USING UDF"
              + " 'dev.lancet.benchmarks.BenchUdfs$BatchedArea' INPUTS (x, y)");
      spark.sql("BACKFILL small (warm) OPTIONS (engine = 'spark')").collectAsList();

      List<Task> tasks = Collections.synchronizedList(new ArrayList<>());
      SparkListener listener =
          new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
              double computeMs = -1;
              for (AccumulableInfo a :
                  JavaConverters.seqAsJavaList(end.taskInfo().accumulables())) {
                if (a.name().isDefined()
                    && a.name().get().equals("lancet area: compute time (us)")
                    && a.update().isDefined()) {
                  computeMs = ((Number) a.update().get()).doubleValue() / 1000.0;
                }
              }
              if (computeMs >= 0 && end.taskInfo().successful()) {
                tasks.add(
                    new Task(
                        end.taskInfo().duration(),
                        computeMs,
                        end.taskMetrics().executorRunTime(),
                        end.taskMetrics().executorDeserializeTime()));
              }
            }
          };
      spark.sparkContext().addSparkListener(listener);
      long start = System.nanoTime();
      // Enough workers that every fragment is a work group of its own (WorkGroups' target).
      var result =
          spark
              .sql(
                  "BACKFILL small (area) OPTIONS (engine = 'spark', concurrency = "
                      + Math.max(1, fragments / 4)
                      + ")")
              .collectAsList();
      double wall = (System.nanoTime() - start) / 1e9;
      long computed = result.get(0).getLong(1);
      if (computed != (long) fragments * rows) {
        throw new IllegalStateException("computed " + computed + " rows, not " + fragments * rows);
      }
      long wrong =
          spark
              .sql("SELECT count(*) FROM small WHERE area IS NULL OR area <> x * y")
              .first()
              .getLong(0);
      if (wrong != 0) {
        throw new IllegalStateException(wrong + " wrong values");
      }
      Thread.sleep(500); // the listener bus delivers the last task ends
      spark.sparkContext().removeSparkListener(listener);
      List<Task> seen;
      synchronized (tasks) {
        seen = new ArrayList<>(tasks);
      }
      List<Double> overhead = seen.stream().map(Task::overheadMs).sorted().toList();
      List<Double> compute = seen.stream().map(Task::computeMs).sorted().toList();
      double floor = sparkFloor(spark, seen.size(), compute.get(compute.size() / 2));
      return new Run(
          master,
          seen.size(),
          wall,
          overhead.get(overhead.size() / 2),
          overhead.get((int) (overhead.size() * 0.9)),
          overhead.stream().mapToDouble(Double::doubleValue).average().orElse(0),
          compute.get(compute.size() / 2),
          seen.stream().mapToDouble(t -> t.runMs() - t.computeMs()).average().orElse(0),
          seen.stream().mapToDouble(Task::deserializeMs).average().orElse(0),
          floor);
    } finally {
      spark.stop();
    }
  }

  /**
   * Spark's own cost per task on this master, without Lancet: as many tasks, each busy for the time
   * a backfill task computed; the median of duration minus run time.
   */
  private static double sparkFloor(SparkSession spark, int tasks, double busyMs)
      throws InterruptedException {
    List<Double> overhead = Collections.synchronizedList(new ArrayList<>());
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskInfo().successful()) {
              overhead.add(
                  (double) (end.taskInfo().duration() - end.taskMetrics().executorRunTime()));
            }
          }
        };
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      items.add(i);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.parallelize(items, tasks).map(new Busy((long) (busyMs * 1e6))).collect(); // warm-up
    spark.sparkContext().addSparkListener(listener);
    jsc.parallelize(items, tasks).map(new Busy((long) (busyMs * 1e6))).collect();
    Thread.sleep(500);
    spark.sparkContext().removeSparkListener(listener);
    List<Double> sorted;
    synchronized (overhead) {
      sorted = overhead.stream().sorted().toList();
    }
    return sorted.get(sorted.size() / 2);
  }

  /** A task that keeps its core busy for a time, as a backfill task's compute does. */
  private static final class Busy implements Function<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private final long nanos;

    Busy(long nanos) {
      this.nanos = nanos;
    }

    @Override
    public Integer call(Integer i) {
      long end = System.nanoTime() + nanos;
      long spin = i;
      while (System.nanoTime() < end) {
        spin = spin * 31 + 7;
      }
      return spin == Long.MIN_VALUE ? 0 : i;
    }
  }

  private static String report(List<Run> runs, int fragments, int rows) {
    StringBuilder md = new StringBuilder();
    md.append("## The Spark engine's overhead per work group\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Command: `benchmarks/run task-overhead --fragments %d --rows %d`; %s.%n%n",
            fragments,
            rows,
            LocalDate.now()));
    md.append(
        String.format(
            Locale.ROOT,
            "A table of %,d fragments of %d rows, one work group (one Spark task) per fragment. Per"
                + " task: Spark's duration (launch to result at the driver) minus the time it"
                + " computed (scan, UDF, write, checkpoint: the `compute time (us)`"
                + " accumulator).%n%n",
            fragments,
            rows));
    md.append(
        "| master | tasks | backfill s | overhead median ms | p90 ms | mean ms"
            + " | of it in the task, mean ms | deserializing, mean ms | compute median ms"
            + " | Spark's own, median ms |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Run r : runs) {
      md.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
              r.master(),
              r.tasks(),
              r.wallS(),
              r.medianMs(),
              r.p90Ms(),
              r.meanMs(),
              r.meanInTaskMs(),
              r.meanDeserializeMs(),
              r.medianComputeMs(),
              r.sparkFloorMs()));
    }
    md.append("\n| target | measured | met |\n|---|---|---|\n");
    for (Run r : runs) {
      md.append(
          String.format(
              Locale.ROOT,
              "| overhead under %.0f ms a work group (`%s`) | %.2f ms (median) | %s |%n",
              TARGET_MS,
              r.master(),
              r.medianMs(),
              r.medianMs() < TARGET_MS ? "yes" : "**no**"));
    }
    return md.toString();
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
