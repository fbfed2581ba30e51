package dev.lancet.benchmarks.backfill;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's command line.
 *
 * @param scale table sizes relative to the (10M narrow, 2M wide, 500K heavy rows)
 * @param reps measured repetitions per contender and workload
 * @param warmups unmeasured rounds first (JIT, Spark and Ray start-up)
 * @param workloads workloads to run
 * @param contenders contenders to run (Python anchors included)
 * @param python the anchors' Python interpreter, or null
 * @param pythonSkipped why the anchors do not run, when python is null
 * @param work scratch directory (tables, logs)
 * @param results where the JSON and the chart go
 * @param resultsMarkdown the RESULTS.md to update, or null
 * @param profile record JFR profiles of Lancet and the lower bound
 * @param slowReps measured runs of the slow contenders ({@link #SLOW_CONTENDERS}), without warm-up
 */
record BenchOptions(
    double scale,
    int reps,
    int warmups,
    List<Workload> workloads,
    List<String> contenders,
    Path python,
    String pythonSkipped,
    Path work,
    Path results,
    Path resultsMarkdown,
    boolean profile,
    String command,
    int slowReps) {

  /**
   * Contenders 5-100x slower than Lancet: run {@code slowReps} times, so the default run stays
   * under 15 minutes.
   */
  static final List<String> SLOW_CONTENDERS = List.of("geneva", "lance-spark-add-columns");

  static final List<String> JAVA_CONTENDERS =
      List.of(
          "lower-bound",
          "lancet",
          "lancet-batched",
          "lancet-async",
          "lancet-1-in-flight",
          "lancet-no-checkpoints",
          "lancet-1-worker",
          "lancet-spark-engine",
          "spark-udf-rewrite",
          "spark-native-rewrite",
          "lance-spark-add-columns");
  static final List<String> PYTHON_CONTENDERS = List.of("pylance-add-columns", "geneva");

  static final String USAGE =
      """
      usage: benchmarks/run backfill [--scale F] [--reps N] [--warmups N] [--workloads a,b,...]
                                     [--contenders a,b,...] [--no-python] [--profile]
        --scale F      table sizes relative to the issue's: 10M narrow, 2M wide, 500K heavy, 1M embedding (float[1536]),
                       200K many-fragments (2,000 fragments of 100 rows), 2,000 io-bound rows (20 ms each),
                       1M big-fragment (the heavy UDF on one 1M-row fragment) (default 0.2)
        --reps N       measured runs per contender and workload, alternating contenders (default 3)
        --warmups N    unmeasured rounds first (default 1)
        --slow-reps N  measured runs of Geneva and lance-spark's ADD COLUMNS (5-100x slower),
                       without warm-up (default 1)
        --profile      record JFR profiles of Lancet and the lower bound and print their hottest frames
      workloads:\
      """
          + String.join(", ", Workload.ALL.stream().map(Workload::name).toList())
          + " (embedding-1m: embedding-filtered)"
          + """

          contenders:\
          """
          + String.join(", ", JAVA_CONTENDERS)
          + ", "
          + String.join(", ", PYTHON_CONTENDERS);

  static BenchOptions parse(String[] args) {
    double scale = 0.2;
    int reps = 3;
    int warmups = 1;
    List<Workload> workloads = Workload.ALL;
    List<String> contenders = new ArrayList<>(JAVA_CONTENDERS);
    contenders.addAll(PYTHON_CONTENDERS);
    Path python = null;
    String skipped = "not requested";
    Path work = Path.of("benchmarks/target/backfill-work");
    Path results = Path.of("benchmarks/results");
    Path markdown = null;
    boolean profile = false;
    int slowReps = 1;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--scale" -> scale = Double.parseDouble(value(args, ++i, a));
        case "--reps" -> reps = Integer.parseInt(value(args, ++i, a));
        case "--warmups" -> warmups = Integer.parseInt(value(args, ++i, a));
        case "--workloads" ->
            workloads =
                List.of(value(args, ++i, a).split(",")).stream().map(Workload::named).toList();
        case "--contenders" -> {
          contenders = List.of(value(args, ++i, a).split(","));
          for (String c : contenders) {
            if (!JAVA_CONTENDERS.contains(c) && !PYTHON_CONTENDERS.contains(c)) {
              throw new IllegalArgumentException("unknown contender '" + c + "'\n" + USAGE);
            }
          }
        }
        case "--python" -> python = Path.of(value(args, ++i, a));
        case "--python-skipped" -> skipped = value(args, ++i, a);
        case "--work" -> work = Path.of(value(args, ++i, a));
        case "--results" -> results = Path.of(value(args, ++i, a));
        case "--results-md" -> markdown = Path.of(value(args, ++i, a));
        case "--profile" -> profile = true;
        case "--slow-reps" -> slowReps = Integer.parseInt(value(args, ++i, a));
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'\n" + USAGE);
      }
    }
    if (scale <= 0 || reps <= 0 || warmups < 0 || slowReps <= 0) {
      throw new IllegalArgumentException(
          "--scale, --reps and --slow-reps must be positive, --warmups not negative\n" + USAGE);
    }
    return new BenchOptions(
        scale,
        reps,
        warmups,
        workloads,
        contenders,
        python,
        skipped,
        work.toAbsolutePath(),
        results.toAbsolutePath(),
        markdown,
        profile,
        userArguments(args),
        Math.min(slowReps, reps));
  }

  /** The arguments as a user gives them: without the paths benchmarks/run adds itself. */
  private static String userArguments(String[] args) {
    List<String> internal =
        List.of("--python", "--python-skipped", "--work", "--results", "--results-md");
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (internal.contains(args[i])) {
        i++;
      } else {
        kept.add(args[i]);
      }
    }
    return String.join(" ", kept);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
    }
    return args[i];
  }
}
