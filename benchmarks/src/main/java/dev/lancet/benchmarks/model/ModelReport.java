package dev.lancet.benchmarks.model;

import java.time.LocalDate;
import java.util.Locale;

/**
 * The model workload's figures, their two ratios against the targets, as text, JSON and Markdown.
 */
record ModelReport(
    ModelBenchmark.ModelOptions options,
    int fragments,
    double loopSeconds,
    double lancetSeconds,
    double pylanceSeconds,
    double lancetCosine,
    double pylanceCosine) {
  /** Lancet's time over the bare loop's: at most 1.05. */
  static final double OVERHEAD_TARGET = 1.05;

  /** pylance's time over Lancet's (Lancet's throughput over pylance's): at least 1.0. */
  static final double THROUGHPUT_TARGET = 1.0;

  double overhead() {
    return lancetSeconds / loopSeconds;
  }

  double throughput() {
    return pylanceSeconds / lancetSeconds;
  }

  private double rowsPerSecond(double seconds) {
    return options.rows() / seconds;
  }

  String table() {
    return String.format(
        Locale.ROOT,
        "%-44s %9s %9s%n%-44s %9.2f %9.0f%n%-44s %9.2f %9.0f%n%-44s %9.2f %9.0f%n%n"
            + "Lancet over the bare loop: %.3f (target <= %.2f: %s)%n"
            + "pylance's time over Lancet's: %.2f (target >= %.1f: %s)%n"
            + "min cosine to the loop: Lancet %.6f, pylance %.6f%n",
        "model, " + options.rows() + " sentences (median of " + options.reps() + ")",
        "seconds",
        "rows/s",
        "bare inference loop (" + options.workers() + " threads)",
        loopSeconds,
        rowsPerSecond(loopSeconds),
        "lancet BACKFILL (" + options.workers() + " workers)",
        lancetSeconds,
        rowsPerSecond(lancetSeconds),
        "pylance add_columns",
        pylanceSeconds,
        rowsPerSecond(pylanceSeconds),
        overhead(),
        OVERHEAD_TARGET,
        overhead() <= OVERHEAD_TARGET ? "met" : "NOT met",
        throughput(),
        THROUGHPUT_TARGET,
        throughput() >= THROUGHPUT_TARGET ? "met" : "NOT met",
        lancetCosine,
        pylanceCosine);
  }

  String json() {
    return String.format(
        Locale.ROOT,
        "{\"workload\":\"model\",\"date\":\"%s\",\"rows\":%d,\"fragments\":%d,\"workers\":%d,"
            + "\"reps\":%d,\"loop_s\":%.4f,\"lancet_s\":%.4f,\"pylance_s\":%.4f,"
            + "\"overhead\":%.4f,\"throughput_vs_pylance\":%.4f,"
            + "\"min_cosine_lancet\":%.6f,\"min_cosine_pylance\":%.6f}%n",
        LocalDate.now(),
        options.rows(),
        fragments,
        options.workers(),
        options.reps(),
        loopSeconds,
        lancetSeconds,
        pylanceSeconds,
        overhead(),
        throughput(),
        lancetCosine,
        pylanceCosine);
  }

  String markdown(String jsonFile) {
    return ModelBenchmark.BEGIN
        + "\n## Model: all-MiniLM-L6-v2 (issue 21)\n\n"
        + "`benchmarks/run model --rows "
        + options.rows()
        + " --reps "
        + options.reps()
        + "`, "
        + LocalDate.now()
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores. "
        + options.rows()
        + " sentences (examples/model/sentences.txt, cycled) in "
        + fragments
        + " fragments; the batched UDF `MiniLmEmbeddings` of a jar built outside the build, with"
        + " ONNX Runtime 1.20.0 and the model's jar pinned; pylance runs the same ONNX file in ONNX"
        + " Runtime 1.20.0 for Python, fed the same way (sorted by length, 32 per call).\n\n"
        + "```\n"
        + table()
        + "```\n\n"
        + "Raw figures: `benchmarks/results/"
        + jsonFile
        + "`.\n"
        + ModelBenchmark.END;
  }
}
