package dev.lancet.benchmarks.startup;

import dev.lancet.benchmarks.ResultsMarkdown;
import dev.lancet.benchmarks.Stats;
import dev.lancet.benchmarks.backfill.TableFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code startup} workload (issue 23): {@code bin/lancet-sql -e "SELECT 1"} against the real
 * {@code spark-sql -e "SELECT 1"} of the same Spark, side by side, in turns, each from a fresh
 * empty folder; the median of {@code reps} runs each. Guards that Lancet's console starts faster
 * than Spark's own. The commands come as system properties from {@code benchmarks/run startup}.
 */
public final class Startup {
  private Startup() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    String lancetSql = System.getProperty("lancet.startup.lancet-sql");
    String sparkSql = System.getProperty("lancet.startup.spark-sql");
    // Untimed: the first run may build the project (bin/lancet-sql builds what is out of date)
    // and fills the page cache with both sides' jars.
    run(List.of(lancetSql, "-e", "SELECT 1"));
    run(List.of(sparkSql, "-e", "SELECT 1"));
    List<Double> lancet = new ArrayList<>();
    List<Double> spark = new ArrayList<>();
    for (int r = 0; r < reps; r++) {
      lancet.add(run(List.of(lancetSql, "-e", "SELECT 1")));
      spark.add(run(List.of(sparkSql, "-e", "SELECT 1")));
      System.out.printf(
          Locale.ROOT,
          "rep %d: lancet-sql %.2f s, spark-sql %.2f s%n",
          r,
          lancet.get(r),
          spark.get(r));
    }
    double l = Stats.median(lancet.stream().mapToDouble(Double::doubleValue).toArray());
    double s = Stats.median(spark.stream().mapToDouble(Double::doubleValue).toArray());
    boolean met = l < s;
    String md =
        String.format(
            Locale.ROOT,
            "## Startup: `lancet-sql -e \"SELECT 1\"` against spark-sql's%n%nCommand:"
                + " `benchmarks/run startup %d`. Machine: %d cores; %s. Each command ran %d times,"
                + " in turns, after one untimed run each, from a fresh empty folder; times are"
                + " wall-clock medians, from the command's start to its exit.%n%n| command | median"
                + " s | runs s |%n|---|---:|---|%n| bin/lancet-sql -e \"SELECT 1\" | %.2f | %s |%n|"
                + " spark-sql -e \"SELECT 1\" (pyspark's, same Spark) | %.2f | %s |%n%n| target |"
                + " measured | met |%n|---|---|---|%n| lancet-sql starts faster than spark-sql |"
                + " %.2fx spark-sql's time | %s |%n%n",
            reps,
            Runtime.getRuntime().availableProcessors(),
            LocalDate.now(),
            reps,
            l,
            list(lancet),
            s,
            list(spark),
            l / s,
            met ? "yes" : "**no**");
    System.out.print(md);
    ResultsMarkdown.replaceNamedSection("startup", md);
  }

  private static double run(List<String> command) throws Exception {
    Path dir = Files.createTempDirectory("lancet-startup");
    try {
      long start = System.nanoTime();
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(dir.resolve("stderr.log").toFile())
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " did not end in 5 minutes");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            command
                + " failed ("
                + p.exitValue()
                + "): "
                + Files.readString(dir.resolve("stderr.log")));
      }
      return seconds;
    } finally {
      TableFiles.delete(dir);
    }
  }

  private static String list(List<Double> xs) {
    return String.join(", ", xs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
  }
}
