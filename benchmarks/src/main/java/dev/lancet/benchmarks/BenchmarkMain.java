package dev.lancet.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints each contender's time and its ratio to the baseline measured in
 * the same run, with the targets. Also writes the figures as JSON under {@code
 * benchmarks/results/}. Usage: {@code benchmarks/run udf-bridge [--quick]}.
 */
public final class BenchmarkMain {
  /** A ratio to report: contender over baseline, and the target it should stay under. */
  private record Ratio(String name, String contender, String baseline, double target) {}

  private static final List<Ratio> RATIOS =
      List.of(
          new Ratio("scalar x*y vs hand-written loop", "scalarArea", "handLoopArea", 3.0),
          new Ratio("batched x*y vs hand-written loop", "batchedArea", "handLoopArea", 1.2),
          new Ratio(
              "scalar filename.length() vs hand-written loop",
              "scalarNameLength",
              "handLoopNameLength",
              3.0));

  private BenchmarkMain() {}

  public static void main(String[] args) throws RunnerException, IOException {
    boolean quick = List.of(args).contains("--quick");
    String flags = System.getProperty("lancet.jvm.flags", "");
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(UdfBridgeBenchmark.class.getSimpleName())
            .forks(1)
            .warmupIterations(quick ? 2 : 5)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(quick ? 3 : 10)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgsAppend(flags.isBlank() ? new String[0] : flags.trim().split("\\s+"));
    Collection<RunResult> results = new Runner(options.build()).run();

    Map<String, double[]> scores = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      scores.put(
          name,
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            Locale.ROOT,
            "%n%-48s %12s %12s %8s %8s  %s%n",
            "ratio (same run, 1M rows)",
            "contender ms",
            "baseline ms",
            "ratio",
            "target",
            "met"));
    List<String> json = new ArrayList<>();
    for (Ratio ratio : RATIOS) {
      double[] c = scores.get(ratio.contender());
      double[] b = scores.get(ratio.baseline());
      double value = c[0] / b[0];
      table.append(
          String.format(
              Locale.ROOT,
              "%-48s %7.2f±%-4.2f %7.2f±%-4.2f %8.2f %8.1f  %s%n",
              ratio.name(),
              c[0],
              c[1],
              b[0],
              b[1],
              value,
              ratio.target(),
              value <= ratio.target() ? "yes" : "NO"));
      json.add(
          String.format(
              Locale.ROOT,
              "{\"ratio\":\"%s\",\"contender_ms\":%.4f,\"contender_err\":%.4f,"
                  + "\"baseline_ms\":%.4f,\"baseline_err\":%.4f,\"value\":%.4f,\"target\":%.1f}",
              ratio.name(),
              c[0],
              c[1],
              b[0],
              b[1],
              value,
              ratio.target()));
    }
    System.out.print(table);
    Path dir = Path.of(System.getProperty("lancet.results.dir", "benchmarks/results"));
    Files.createDirectories(dir);
    Path file = dir.resolve("udf-bridge-" + LocalDate.now() + ".json");
    Files.writeString(file, "[\n  " + String.join(",\n  ", json) + "\n]\n");
    System.out.println("written: " + file);
  }
}
