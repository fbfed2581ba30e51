package dev.lancet.benchmarks.backfill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

// Longer than 300 lines: the benchmark's one run (options, alternation, checks) reads top to
// bottom; the report is BenchReport.
/**
 * Runs every contender on every workload, alternating them, several times, each on a fresh copy of
 * the same generated table; checks each result against the expected checksum; and reports medians,
 * spreads, ratios measured in this one run, peak memory and the targets. {@code benchmarks/run
 * backfill --help} shows the options.
 */
public final class BackfillBenchmark {
  /** One measured run. */
  record Sample(
      String workload, String contender, int rep, double seconds, long rows, long peakRssBytes) {}

  private final BenchOptions options;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final Path base;
  private final Path tables;
  private final Path logs;
  private final Map<String, ContenderProcess> processes = new LinkedHashMap<>();

  /** Why a contender did not run, per contender or per "workload/contender". */
  private final Map<String, String> notRun = new LinkedHashMap<>();

  private final List<Sample> samples = new ArrayList<>();

  /** Rows of each generated table, by shape. */
  private final Map<String, Long> generatedRows = new LinkedHashMap<>();

  /** Rows a run computes: the whole table, or the 1% appended for the incremental run. */
  private final Map<String, Long> computed = new LinkedHashMap<>();

  private final Map<String, Checksum> expected = new LinkedHashMap<>();
  private FileServer files;

  private BackfillBenchmark(BenchOptions options) {
    this.options = options;
    this.base = options.work().resolve("base");
    this.tables = options.work().resolve("tables");
    this.logs = options.work().resolve("logs");
  }

  public static void main(String[] args) throws Exception {
    int status = run(args);
    System.exit(status); // Spark's and Ray's threads would keep the JVM alive
  }

  /** Runs the benchmark; returns the exit status (2 for a bad command line). */
  public static int run(String... args) throws Exception {
    BenchOptions options;
    try {
      if (List.of(args).contains("--help")) {
        System.out.println(BenchOptions.USAGE);
        return 0;
      }
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    new BackfillBenchmark(options).run();
    return 0;
  }

  private static void say(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    TableFiles.delete(options.work());
    Files.createDirectories(base);
    Files.createDirectories(tables);
    Files.createDirectories(logs);
    generate();
    if (options.workloads().stream().anyMatch(w -> w.output() == Workload.Output.SIZE)) {
      files = new FileServer();
    }
    try {
      startProcesses();
      if (options.workloads().stream().anyMatch(Workload::prepared)) {
        prepareComputed();
      }
      for (Workload w : options.workloads()) {
        measure(w);
      }
    } finally {
      processes.values().forEach(ContenderProcess::close);
      if (files != null) {
        files.close();
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    BenchReport report =
        new BenchReport(options, cores, computed, samples, notRun, minutes, profiles());
    report.write();
    TableFiles.delete(tables);
  }

  /** With --profile: the hottest methods of each recorded contender. */
  private Map<String, String> profiles() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (options.profile()) {
      for (String name : List.of("lower-bound", "lancet")) {
        Path jfr = logs.resolve(name + ".jfr");
        if (Files.exists(jfr)) {
          out.put(name, JfrSummary.summarize(jfr, 15));
        }
      }
    }
    return out;
  }

  private void generate() {
    for (Workload w : options.workloads()) {
      String shape = w.shape().label();
      long n = w.rows(options.scale());
      if (!generatedRows.containsKey(shape)) {
        long t = System.nanoTime();
        TableGenerator.create(base.resolve(shape + ".lance").toString(), w.shape(), n);
        say("generated %s: %,d rows in %.1f s", shape, n, (System.nanoTime() - t) / 1e9);
        generatedRows.put(shape, n);
      }
      long total = w.incremental() ? n + n / 100 : n;
      long rows =
          switch (w.kind()) {
            case INCREMENTAL -> n / 100;
            case NOTHING_TO_DO -> 0;
            case FULL -> java.util.stream.LongStream.range(0, n).filter(w::selects).count();
          };
      computed.put(w.name(), rows);
      expected.put(w.name(), TableGenerator.expected(w, total));
    }
  }

  /**
   * Starts the contender processes, as many at once as there are cores (each starts a JVM and
   * Spark, or Python).
   */
  private void startProcesses() throws InterruptedException {
    java.util.concurrent.ExecutorService starter =
        java.util.concurrent.Executors.newFixedThreadPool(cores);
    Map<String, java.util.concurrent.Future<ContenderProcess>> starting = new LinkedHashMap<>();
    for (String name : options.contenders()) {
      boolean python = BenchOptions.PYTHON_CONTENDERS.contains(name);
      if (python && options.python() == null) {
        notRun.put(name, options.pythonSkipped());
        continue;
      }
      List<String> command = python ? pythonCommand(name) : javaCommand(name);
      starting.put(
          name,
          starter.submit(
              () -> {
                long t = System.nanoTime();
                ContenderProcess p =
                    ContenderProcess.start(name, command, logs.resolve(name + ".log"));
                say("started %s in %.1f s", name, (System.nanoTime() - t) / 1e9);
                return p;
              }));
    }
    starter.shutdown();
    for (Map.Entry<String, java.util.concurrent.Future<ContenderProcess>> e : starting.entrySet()) {
      try {
        processes.put(e.getKey(), e.getValue().get());
      } catch (java.util.concurrent.ExecutionException failed) {
        notRun.put(e.getKey(), "could not start: " + failed.getCause().getMessage());
        say("%s could not start: %s", e.getKey(), failed.getCause().getMessage());
      }
    }
  }

  private List<String> javaCommand(String name) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String flags = System.getProperty("lancet.jvm.flags", "");
    if (!flags.isBlank()) {
      cmd.addAll(List.of(flags.trim().split("\\s+")));
    }
    cmd.add("-Xmx3g");
    if (files != null) {
      cmd.add("-Dlancet.bench.files-url=" + files.baseUrl());
    }
    if (options.profile() && (name.equals("lancet") || name.equals("lower-bound"))) {
      cmd.add(
          "-XX:StartFlightRecording=filename="
              + logs.resolve(name + ".jfr")
              + ",settings=profile,dumponexit=true");
    }
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ContenderServer.class.getName(),
            name,
            tables.toString(),
            String.valueOf(cores)));
    return cmd;
  }

  private List<String> pythonCommand(String name) {
    Path script =
        Path.of(System.getProperty("lancet.bench.python.script", "benchmarks/python/anchors.py"));
    return List.of(
        options.python().toString(),
        script.toAbsolutePath().toString(),
        name,
        tables.toString(),
        String.valueOf(cores));
  }

  /**
   * The narrow table backfilled in full by Lancet: the rerun's start; and a copy with 1% new rows
   * appended: the incremental run's start.
   */
  private void prepareComputed() throws IOException {
    ContenderProcess lancet = processes.get("lancet");
    if (lancet == null) {
      options.workloads().stream()
          .filter(Workload::prepared)
          .forEach(w -> notRun.put(w.name(), "needs the lancet contender to prepare its table"));
      return;
    }
    String narrow = Workload.Shape.NARROW.label();
    TableFiles.copy(base.resolve(narrow + ".lance"), tables.resolve("computed-prep.lance"));
    String prep = tables.resolve("computed-prep.lance").toString();
    lancet.prepare(Workload.INCREMENTAL, prep);
    ContenderProcess.Timed full = lancet.run(Workload.NARROW, prep, options.work());
    Files.move(tables.resolve("computed-prep.lance"), base.resolve("narrow-computed.lance"));
    long n = generatedRows.get(narrow);
    say("computed table: %,d rows computed by Lancet in %.1f s", n, full.seconds());
    if (options.workloads().contains(Workload.INCREMENTAL)) {
      Path table = base.resolve("incremental.lance");
      TableFiles.copy(base.resolve("narrow-computed.lance"), table);
      TableGenerator.append(
          table.toString(),
          Workload.Shape.NARROW,
          n,
          n + n / 100,
          TableGenerator.rowsPerFragment(Workload.Shape.NARROW, n));
      say("incremental table: then %,d rows appended", n / 100);
    }
  }

  private static String source(Workload w) {
    return switch (w.kind()) {
      case INCREMENTAL -> "incremental.lance";
      case NOTHING_TO_DO -> "narrow-computed.lance";
      case FULL -> w.shape().label() + ".lance";
    };
  }

  private void measure(Workload w) throws IOException {
    if (w.prepared() && notRun.containsKey(w.name())) {
      return;
    }
    List<ContenderProcess> running = new ArrayList<>();
    for (ContenderProcess p : processes.values()) {
      try {
        if (p.supports(w)) {
          running.add(p);
        }
      } catch (IOException e) {
        notRun.put(w.name() + "/" + p.name, e.getMessage());
      }
    }
    int rounds = options.warmups() + options.reps();
    for (int round = 0; round < rounds; round++) {
      boolean warmup = round < options.warmups();
      int rep = round - options.warmups();
      for (int k = 0; k < running.size(); k++) {
        // Each round starts one contender later, so none always runs first (or after the same one).
        ContenderProcess p = running.get((k + round) % running.size());
        String key = w.name() + "/" + p.name;
        if (notRun.containsKey(key)) {
          continue;
        }
        if (BenchOptions.SLOW_CONTENDERS.contains(p.name)
            && (warmup || rep >= options.slowReps())) {
          continue;
        }
        try {
          Sample s = once(w, p, warmup ? -1 : rep);
          if (!warmup) {
            samples.add(s);
          }
        } catch (IOException | RuntimeException e) {
          notRun.put(key, e.getMessage());
          say("%s on %s failed: %s", p.name, w.name(), e.getMessage());
        }
      }
    }
  }

  private Sample once(Workload w, ContenderProcess p, int rep) throws IOException {
    String name =
        w.name() + "_" + p.name.replace('-', '_') + "_" + (rep < 0 ? "warmup" : "r" + rep);
    Path table = tables.resolve(name + ".lance");
    Path scratch = options.work().resolve("scratch").resolve(name);
    Files.createDirectories(scratch);
    TableFiles.copy(base.resolve(source(w)), table);
    try {
      p.prepare(w, table.toString());
      ContenderProcess.Timed t = p.run(w, table.toString(), scratch);
      Checksum got;
      try {
        got = Checksums.of(t.resultUri(), w.column());
      } catch (Exception e) {
        throw new IllegalStateException("its result cannot be read: " + e, e);
      }
      Checksum want = expected.get(w.name());
      if (!got.equals(want)) {
        throw new IllegalStateException("wrong result: checksum " + got + ", expected " + want);
      }
      long n = computed.get(w.name());
      say(
          "%-12s %-24s %-7s %8.2f s  %,12.0f rows/s  peak RSS %,d MiB",
          w.name(),
          p.name,
          rep < 0 ? "warm-up" : "rep " + rep,
          t.seconds(),
          n / t.seconds(),
          t.peakRssBytes() >> 20);
      return new Sample(w.name(), p.name, rep, t.seconds(), n, t.peakRssBytes());
    } finally {
      TableFiles.delete(table);
      TableFiles.delete(scratch);
    }
  }
}
