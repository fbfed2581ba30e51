package dev.lancet.benchmarks.backfill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

// Longer than 300 lines: the report's table, targets, JSON, chart and RESULTS.md section share the
// same figures and formatting.
/**
 * Turns the samples into the report: a table of medians, spreads, rows/s, ratios to the lower bound
 * and peak memory; the targets with what was measured; a JSON file and a chart under the results
 * directory; and the section of RESULTS.md for the workloads that ran (one section per set of
 * workloads, so a run of some workloads leaves the others' figures alone).
 */
final class BenchReport {
  /** The section's start marker for a set of workloads. */
  static String begin(List<Workload> workloads) {
    return "<!-- backfill-benchmark:" + key(workloads) + ":begin -->";
  }

  static String end(List<Workload> workloads) {
    return "<!-- backfill-benchmark:" + key(workloads) + ":end -->";
  }

  /** "all", or the workloads' names joined by '+'. */
  static String key(List<Workload> workloads) {
    return workloads.equals(Workload.ALL)
        ? "all"
        : workloads.stream().map(Workload::name).collect(Collectors.joining("+"));
  }

  /** Median, spread and memory of one contender on one workload. */
  record Summary(
      String workload,
      String contender,
      int runs,
      double median,
      double min,
      double max,
      double rowsPerSecond,
      Double vsLowerBound,
      long peakRssBytes) {}

  /** A target, what was measured, and whether it is met. */
  record Target(String name, String measured, boolean met) {}

  private final BenchOptions options;
  private final int cores;
  private final Map<String, Long> computedRows;
  private final List<BackfillBenchmark.Sample> samples;
  private final Map<String, String> notRun;
  private final double minutes;
  private final Map<String, String> profiles;
  private final Map<String, Summary> summaries = new LinkedHashMap<>();
  private final List<Target> targets = new ArrayList<>();
  private final List<String> measures = new ArrayList<>();

  BenchReport(
      BenchOptions options,
      int cores,
      Map<String, Long> computedRows,
      List<BackfillBenchmark.Sample> samples,
      Map<String, String> notRun,
      double minutes,
      Map<String, String> profiles) {
    this.profiles = profiles;
    this.options = options;
    this.cores = cores;
    this.computedRows = computedRows;
    this.samples = samples;
    this.notRun = notRun;
    this.minutes = minutes;
    summarize();
    judge();
  }

  private static String key(String workload, String contender) {
    return workload + "/" + contender;
  }

  private void summarize() {
    Map<String, List<BackfillBenchmark.Sample>> byKey =
        samples.stream()
            .collect(
                Collectors.groupingBy(
                    s -> key(s.workload(), s.contender()),
                    LinkedHashMap::new,
                    Collectors.toList()));
    for (Workload w : options.workloads()) {
      for (String c : options.contenders()) {
        List<BackfillBenchmark.Sample> runs = byKey.get(key(w.name(), c));
        if (runs == null || runs.isEmpty()) {
          continue;
        }
        double[] t =
            runs.stream().mapToDouble(BackfillBenchmark.Sample::seconds).sorted().toArray();
        double median =
            t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
        long rss = runs.stream().mapToLong(BackfillBenchmark.Sample::peakRssBytes).max().orElse(0);
        summaries.put(
            key(w.name(), c),
            new Summary(
                w.name(),
                c,
                t.length,
                median,
                t[0],
                t[t.length - 1],
                computedRows.get(w.name()) / median,
                null,
                rss));
      }
      Summary lower = summaries.get(key(w.name(), "lower-bound"));
      if (lower != null) {
        summaries.replaceAll(
            (k, s) ->
                s.workload().equals(w.name())
                    ? new Summary(
                        s.workload(),
                        s.contender(),
                        s.runs(),
                        s.median(),
                        s.min(),
                        s.max(),
                        s.rowsPerSecond(),
                        s.median() / lower.median(),
                        s.peakRssBytes())
                    : s);
      }
    }
  }

  private Double ratio(String workloadA, String a, String workloadB, String b) {
    Summary x = summaries.get(key(workloadA, a));
    Summary y = summaries.get(key(workloadB, b));
    return x == null || y == null ? null : x.median() / y.median();
  }

  private void target(String name, Double value, boolean met, String format) {
    if (value != null) {
      targets.add(new Target(name, String.format(Locale.ROOT, format, value), met));
    }
  }

  private void judge() {
    for (String w : SparkContenders.SPARK_ENGINE_WORKLOADS) {
      Double r = ratio(w, "lancet-spark-engine", w, "lancet");
      if (r != null) {
        target(
            "Spark engine " + w + " within 1.15x of the Ray engine",
            r,
            r <= 1.15,
            "%.2fx the Ray engine's time");
      }
    }
    for (String w : List.of("narrow", "wide")) {
      Double r = ratio(w, "lancet", w, "lower-bound");
      target(
          "Lancet " + w + " within 2x of the lower bound",
          r,
          r != null && r <= 2,
          "%.2fx the lower bound's time");
      Double b = ratio(w, "lancet-batched", w, "lower-bound");
      target(
          "Lancet " + w + " (batched UDF) within 2x of the lower bound",
          b,
          b != null && b <= 2,
          "%.2fx the lower bound's time");
    }
    for (Workload w : options.workloads()) {
      Double r = ratio(w.name(), "lancet", w.name(), "lancet-no-checkpoints");
      if (r != null) {
        target(
            "checkpoint overhead under 15% (" + w.name() + ")",
            (r - 1) * 100,
            r - 1 < 0.15,
            "%+.1f%%");
      }
    }
    for (String spark : List.of("spark-udf-rewrite", "spark-native-rewrite")) {
      Double r = ratio("wide", spark, "wide", "lancet");
      target(
          "Lancet at least 10x faster than " + spark + " on wide",
          r,
          r != null && r >= 10,
          "Lancet %.1fx faster");
    }
    for (String w : List.of("embedding", "embedding-filtered")) {
      for (String c : List.of("lancet", "lancet-batched")) {
        Double r = ratio(w, c, w, "lower-bound");
        target(
            c + " " + w + " within 1.5x of the lower bound",
            r,
            r != null && r <= 1.5,
            "%.2fx the lower bound's time");
      }
    }
    Double oneFragment = ratio("embedding-filtered", "lancet", "embedding-filtered", "lower-bound");
    target(
        "embedding-1m (embedding-filtered, checkpoints on) within 1.3x of the lower bound",
        oneFragment,
        oneFragment != null && oneFragment <= 1.3,
        "%.2fx the lower bound's time");
    Double split = ratio("big-fragment", "lancet-1-worker", "big-fragment", "lancet");
    target(
        "big-fragment (one 1M-row fragment): " + cores + " workers at least 1.6x 1 worker's speed",
        split,
        split != null && split >= 1.6,
        "%.2fx");
    Summary filtered = summaries.get(key("embedding-filtered", "lancet"));
    if (filtered != null) {
      double gib = filtered.peakRssBytes() / (double) (1L << 30);
      target(
          "embedding-filtered (one fragment, half its rows, "
              + cores
              + " workers): peak RSS under 3 GiB",
          gib,
          gib < 3,
          "%.2f GiB");
    }
    Double many = ratio("many-fragments", "lancet", "few-fragments", "lancet");
    target(
        "many-fragments within 3x of the same rows in 2 fragments",
        many,
        many != null && many <= 3,
        "%.2fx the 2-fragment time");
    Summary m = summaries.get(key("many-fragments", "lancet"));
    Summary f = summaries.get(key("few-fragments", "lancet"));
    if (m != null && f != null) {
      long fragments = TableGenerator.manyFragments(Workload.MANY_FRAGMENTS.rows(options.scale()));
      double perFragment = (m.median() - f.median()) * 1000 / fragments;
      target(
          "cost per fragment under 2 ms beyond the rows' own work (" + fragments + " fragments)",
          perFragment,
          perFragment < 2,
          "%.2f ms a fragment");
    }
    for (String c : List.of("lancet", "lancet-async")) {
      Double r = ratio("io-bound", "lancet-1-in-flight", "io-bound", c);
      target(
          "io-bound: " + c + " (64 in flight) at least 40x the throughput of one call at a time",
          r,
          r != null && r >= 40,
          "%.1fx");
    }
    Summary rerun = summaries.get(key("rerun", "lancet"));
    if (rerun != null) {
      target(
          "a backfill with nothing to compute under 100 ms in an open session",
          rerun.median() * 1000,
          rerun.median() < 0.1,
          "%.0f ms");
    }
    Double inc = ratio("incremental", "lancet", "narrow", "lancet");
    target(
        "incremental backfill of 1% new rows under 5% of the full backfill",
        inc == null ? null : inc * 100,
        inc != null && inc < 0.05,
        "%.1f%% of the full backfill's time");
    for (String anchor : BenchOptions.PYTHON_CONTENDERS) {
      for (Workload w : options.workloads()) {
        Double r = ratio(w.name(), anchor, w.name(), "lancet");
        target(
            "faster than " + anchor + " on " + w.name(),
            r,
            r != null && r > 1,
            "its time / Lancet's = %.2f (above 1: Lancet faster)");
      }
    }
    for (Workload w : options.workloads()) {
      Double s = ratio(w.name(), "lancet-1-worker", w.name(), "lancet");
      if (s != null && !w.prepared()) { // the incremental run has one fragment: nothing to share
        measures.add(
            String.format(
                Locale.ROOT, "Speed-up from 1 to %d workers (%s): %.2fx", cores, w.name(), s));
      }
      Double l = ratio(w.name(), "lance-spark-add-columns", w.name(), "lancet");
      if (l != null) {
        measures.add(
            String.format(
                Locale.ROOT,
                "lance-spark ADD COLUMNS FROM view vs Lancet (%s): Lancet %.2fx faster",
                w.name(),
                l));
      }
    }
  }

  void write() throws IOException {
    String table = consoleTable();
    System.out.println(table);
    Files.createDirectories(options.results());
    String date = LocalDate.now().toString();
    String stem =
        "backfill-"
            + (key(options.workloads()).equals("all") ? "" : key(options.workloads()) + "-")
            + date;
    Path json = options.results().resolve(stem + ".json");
    Files.writeString(json, json());
    Path png = options.results().resolve(stem + ".png");
    RatioChart.draw(
        png,
        options.workloads(),
        options.contenders(),
        summaries,
        String.format(
            Locale.ROOT,
            "Backfill time relative to the lower bound (scale %s, %d cores; lower is better)",
            options.scale(),
            cores));
    System.out.println("written: " + json + ", " + png);
    if (options.resultsMarkdown() != null) {
      updateMarkdown(
          options.resultsMarkdown(), png.getFileName().toString(), json.getFileName().toString());
      System.out.println("updated: " + options.resultsMarkdown());
    }
  }

  private String consoleTable() {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%n%-12s %-24s %9s %17s %14s %10s %9s%n",
                "workload",
                "contender",
                "median s",
                "spread (min-max)",
                "rows/s",
                "x lower b.",
                "peak RSS"));
    for (Summary s : summaries.values()) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-12s %-24s %9.2f %8.2f - %6.2f %,14.0f %10s %6d MiB%n",
              s.workload(),
              s.contender(),
              s.median(),
              s.min(),
              s.max(),
              s.rowsPerSecond(),
              s.vsLowerBound() == null ? "-" : String.format(Locale.ROOT, "%.2f", s.vsLowerBound()),
              s.peakRssBytes() >> 20));
    }
    b.append(String.format("%ntargets:%n"));
    for (Target t : targets) {
      b.append(
          String.format(
              Locale.ROOT, "  %-4s %-70s %s%n", t.met() ? "met" : "MISS", t.name(), t.measured()));
    }
    measures.forEach(m -> b.append("  ").append(m).append('\n'));
    notRun.forEach((k, v) -> b.append(String.format("not run: %s: %s%n", k, v)));
    profiles.forEach((k, v) -> b.append(String.format("%nprofile of %s: %s", k, v)));
    return b.toString();
  }

  private static String esc(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
  }

  private String json() {
    List<String> out = new ArrayList<>();
    out.add("\"date\": " + esc(LocalDate.now().toString()));
    out.add("\"command\": " + esc("benchmarks/run backfill " + options.command()));
    out.add("\"machine\": " + esc(Machine.describe(cores)));
    out.add(
        String.format(
            Locale.ROOT,
            "\"scale\": %s, \"reps\": %d, \"warmups\": %d, \"slow_reps\": %d, \"minutes\": %.1f",
            options.scale(),
            options.reps(),
            options.warmups(),
            options.slowReps(),
            minutes));
    out.add(
        "\"rows_computed\": {"
            + computedRows.entrySet().stream()
                .map(e -> esc(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", "))
            + "}");
    out.add(
        "\"samples\": [\n    "
            + samples.stream()
                .map(
                    s ->
                        String.format(
                            Locale.ROOT,
                            "{\"workload\": %s, \"contender\": %s, \"rep\": %d, \"seconds\": %.4f,"
                                + " \"rows\": %d, \"peak_rss_bytes\": %d}",
                            esc(s.workload()),
                            esc(s.contender()),
                            s.rep(),
                            s.seconds(),
                            s.rows(),
                            s.peakRssBytes()))
                .collect(Collectors.joining(",\n    "))
            + "\n  ]");
    out.add(
        "\"summary\": [\n    "
            + summaries.values().stream()
                .map(
                    s ->
                        String.format(
                            Locale.ROOT,
                            "{\"workload\": %s, \"contender\": %s, \"runs\": %d, \"median_s\":"
                                + " %.4f, \"min_s\": %.4f, \"max_s\": %.4f, \"rows_per_s\": %.0f,"
                                + " \"vs_lower_bound\": %s, \"peak_rss_bytes\": %d}",
                            esc(s.workload()),
                            esc(s.contender()),
                            s.runs(),
                            s.median(),
                            s.min(),
                            s.max(),
                            s.rowsPerSecond(),
                            s.vsLowerBound() == null
                                ? "null"
                                : String.format(Locale.ROOT, "%.4f", s.vsLowerBound()),
                            s.peakRssBytes()))
                .collect(Collectors.joining(",\n    "))
            + "\n  ]");
    out.add(
        "\"targets\": [\n    "
            + targets.stream()
                .map(
                    t ->
                        "{\"target\": "
                            + esc(t.name())
                            + ", \"measured\": "
                            + esc(t.measured())
                            + ", \"met\": "
                            + t.met()
                            + "}")
                .collect(Collectors.joining(",\n    "))
            + "\n  ]");
    out.add(
        "\"other\": ["
            + measures.stream().map(BenchReport::esc).collect(Collectors.joining(", "))
            + "]");
    out.add(
        "\"not_run\": {"
            + notRun.entrySet().stream()
                .map(e -> esc(e.getKey()) + ": " + esc(e.getValue()))
                .collect(Collectors.joining(", "))
            + "}");
    return "{\n  " + String.join(",\n  ", out) + "\n}\n";
  }

  private String markdown(String png, String json) {
    StringBuilder b = new StringBuilder();
    b.append(begin(options.workloads()))
        .append("\n## Backfill: ")
        .append(options.workloads().stream().map(Workload::name).collect(Collectors.joining(", ")))
        .append("\n\n");
    b.append("Command: `benchmarks/run backfill")
        .append(options.command().isBlank() ? "" : " " + options.command())
        .append("` (")
        .append(String.format(Locale.ROOT, "%.0f", minutes))
        .append(" minutes).  \n");
    b.append("Machine: ")
        .append(Machine.describe(cores))
        .append("; ")
        .append(LocalDate.now())
        .append(".  \n");
    b.append(
        String.format(
            Locale.ROOT,
            "Each contender ran %d times per workload (after %d warm-up round(s)), in turns, each"
                + " on a fresh copy of the same generated table; every result was read back and"
                + " checked against the expected checksum. Times are medians with the min-max"
                + " spread; `x lower bound` is the median time over the lower bound's median time"
                + " in this run. Peak RSS is the contender process tree's. %s ran %d time(s),"
                + " without a warm-up round.%n%n",
            options.reps(),
            options.warmups(),
            String.join(", ", BenchOptions.SLOW_CONTENDERS),
            options.slowReps()));
    b.append(
        "| workload | rows computed | contender | median s | spread s | rows/s | MB/s written | x"
            + " lower bound | peak RSS MiB |\n");
    b.append("|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (Summary s : summaries.values()) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %s | %.2f | %.2f-%.2f | %,.0f | %,.1f | %s | %d |%n",
              s.workload(),
              computedRows.get(s.workload()),
              s.contender(),
              s.median(),
              s.min(),
              s.max(),
              s.rowsPerSecond(),
              s.rowsPerSecond() * Workload.named(s.workload()).output().bytesPerRow() / 1e6,
              s.vsLowerBound() == null
                  ? "-"
                  : String.format(Locale.ROOT, "**%.2f**", s.vsLowerBound()),
              s.peakRssBytes() >> 20));
    }
    b.append("\n| target | measured | met |\n|---|---|---|\n");
    for (Target t : targets) {
      b.append("| ")
          .append(t.name())
          .append(" | ")
          .append(t.measured())
          .append(" | ")
          .append(t.met() ? "yes" : "**no**")
          .append(" |\n");
    }
    if (!measures.isEmpty()) {
      b.append('\n');
      measures.forEach(m -> b.append("- ").append(m).append('\n'));
    }
    if (!notRun.isEmpty()) {
      b.append("\nNot run:\n\n");
      notRun.forEach((k, v) -> b.append("- `").append(k).append("`: ").append(v).append('\n'));
    }
    b.append("\n![Backfill time relative to the lower bound](results/").append(png).append(")\n\n");
    profiles.forEach(
        (k, v) ->
            b.append("<details><summary>JFR profile of the ")
                .append(k)
                .append(" process (whole run)</summary>\n\n```\n")
                .append(v.strip())
                .append("\n```\n</details>\n\n"));
    b.append("Raw figures: `benchmarks/results/")
        .append(json)
        .append("`.\n")
        .append(end(options.workloads()));
    return b.toString();
  }

  private void updateMarkdown(Path md, String png, String json) throws IOException {
    dev.lancet.benchmarks.ResultsMarkdown.replaceSection(
        md, begin(options.workloads()), end(options.workloads()), markdown(png, json));
  }

  /** The contenders with a summary on a workload, in option order (for the chart). */
  static List<String> present(
      Map<String, Summary> summaries, String workload, List<String> contenders) {
    return contenders.stream().filter(c -> summaries.containsKey(key(workload, c))).toList();
  }

  static Summary get(Map<String, Summary> summaries, String workload, String contender) {
    return summaries.get(key(workload, contender));
  }
}
