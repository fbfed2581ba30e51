package dev.lancet.benchmarks.model;

import static dev.lancet.benchmarks.Stats.median;

import dev.lancet.benchmarks.ResultsMarkdown;
import dev.lancet.benchmarks.backfill.TableFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code model} workload: all-MiniLM-L6-v2 (a user's jar with ONNX Runtime and the model as its
 * own dependencies, examples/model) over a table of sentences, three ways, in one run:
 *
 * <ul>
 *   <li>the bare inference loop: the same UDF class called in plain Java threads, one model per
 *       thread, over the same batches (the texts already in memory);
 *   <li>Lancet: {@code ALTER TABLE ... ADD COLUMN ... USING UDF ... JARS (...)}, then a timed
 *       {@code BACKFILL} in embedded Ray;
 *   <li>pylance {@code add_columns} with the same ONNX file in ONNX Runtime's Python package.
 * </ul>
 *
 * Every figure is a median of {@code --reps}; each run checks its embeddings against the loop's.
 * Usage: {@code benchmarks/run model [--rows N] [--reps R] [--workers W]}.
 */
public final class ModelBenchmark {
  static final String BEGIN = "<!-- model-benchmark:begin -->";
  static final String END = "<!-- model-benchmark:end -->";
  static final String UDF = "com.acme.embed.MiniLmEmbeddings";

  private ModelBenchmark() {}

  public static void main(String[] args) throws Exception {
    ModelOptions o = ModelOptions.parse(List.of(args));
    TableFiles.delete(o.work());
    Path tables = Files.createDirectories(o.work().resolve("tables"));
    int fragments = 4 * o.workers(); // every worker has work (a fragment is one worker's)
    Path base = o.work().resolve("base.lance");
    PythonSide python = new PythonSide(o.python(), o.script());
    python.make(base, o.rows(), fragments, o.sentences());
    Path warm = o.work().resolve("warm.lance");
    python.make(warm, 64, 2, o.sentences());
    int batch = (int) ((o.rows() + fragments - 1) / fragments);

    SparkSession spark = ModelSpark.start(tables, o.workers());
    InferenceLoop loop = new InferenceLoop(o.jars(), UDF, o.workers());
    LancetRun lancet = new LancetRun(spark, o.jars(), UDF);
    List<String> texts = ModelSpark.texts(spark, base);

    // Warm-up, untimed: Ray's start, class loading and the JIT for both Java sides.
    loop.run(ModelSpark.texts(spark, warm), batch);
    lancet.run(tables, warm, "warm", o.workers());

    double[] loopSeconds = new double[o.reps()];
    double[] lancetSeconds = new double[o.reps()];
    double[] pylanceSeconds = new double[o.reps()];
    float[][] reference = null;
    double lancetCosine = 1;
    double pylanceCosine = 1;
    for (int r = 0; r < o.reps(); r++) {
      long t0 = System.nanoTime();
      float[][] embedded = loop.run(texts, batch);
      loopSeconds[r] = (System.nanoTime() - t0) / 1e9;
      if (reference == null) {
        reference = embedded;
      }

      LancetRun.Result l = lancet.run(tables, base, "lancet_r" + r, o.workers());
      lancetSeconds[r] = l.seconds();
      lancetCosine = Math.min(lancetCosine, ModelSpark.minCosine(spark, l.table(), reference));

      Path copy = tables.resolve("pylance_r" + r + ".lance");
      TableFiles.copy(base, copy);
      pylanceSeconds[r] = python.addColumns(copy, o.modelJar(), batch);
      pylanceCosine = Math.min(pylanceCosine, ModelSpark.minCosine(spark, copy, reference));
      System.err.printf(
          Locale.ROOT,
          "rep %d: loop %.2f s, lancet %.2f s, pylance %.2f s%n",
          r + 1,
          loopSeconds[r],
          lancetSeconds[r],
          pylanceSeconds[r]);
    }
    spark.stop();
    loop.close();
    if (lancetCosine < 0.99999 || pylanceCosine < 0.999) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "the embeddings differ from the loop's: min cosine Lancet %.6f, pylance %.6f",
              lancetCosine,
              pylanceCosine));
    }
    ModelReport report =
        new ModelReport(
            o,
            fragments,
            median(loopSeconds),
            median(lancetSeconds),
            median(pylanceSeconds),
            lancetCosine,
            pylanceCosine);
    System.out.println(report.table());
    Files.createDirectories(o.results());
    Path json = o.results().resolve("model-" + LocalDate.now() + ".json");
    Files.writeString(json, report.json());
    if (o.markdown() != null) {
      ResultsMarkdown.replaceSection(
          o.markdown(), BEGIN, END, report.markdown(json.getFileName().toString()));
    }
    TableFiles.delete(o.work());
  }

  /** The parsed command line. */
  record ModelOptions(
      List<Path> jars,
      long rows,
      int reps,
      int workers,
      Path python,
      Path script,
      Path sentences,
      Path work,
      Path results,
      Path markdown) {
    static ModelOptions parse(List<String> args) {
      List<Path> jars = new ArrayList<>();
      long rows = 4000;
      int reps = 3;
      int workers = Runtime.getRuntime().availableProcessors();
      Map<String, String> given = new java.util.HashMap<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (!a.startsWith("--") || i + 1 >= args.size()) {
          throw new IllegalArgumentException("usage: " + a + " takes a value");
        }
        given.put(a, args.get(++i));
      }
      for (String jar : given.getOrDefault("--jars", "").split(",")) {
        if (!jar.isBlank()) {
          jars.add(Path.of(jar.strip()));
        }
      }
      if (jars.size() < 3) {
        throw new IllegalArgumentException(
            "--jars: the UDF's jar, ONNX Runtime's and the model's (bin/lib/model.sh)");
      }
      rows = Long.parseLong(given.getOrDefault("--rows", String.valueOf(rows)));
      reps = Integer.parseInt(given.getOrDefault("--reps", String.valueOf(reps)));
      workers = Integer.parseInt(given.getOrDefault("--workers", String.valueOf(workers)));
      return new ModelOptions(
          List.copyOf(jars),
          rows,
          reps,
          workers,
          Path.of(required(given, "--python")),
          Path.of(required(given, "--script")),
          Path.of(required(given, "--sentences")),
          Path.of(required(given, "--work")),
          Path.of(required(given, "--results")),
          given.containsKey("--results-md") ? Path.of(given.get("--results-md")) : null);
    }

    private static String required(Map<String, String> given, String key) {
      String v = given.get(key);
      if (v == null) {
        throw new IllegalArgumentException(key + " is required");
      }
      return v;
    }

    /** The model's jar (its ONNX file and tokenizer), for the Python side. */
    Path modelJar() {
      return jars.stream()
          .filter(j -> j.getFileName().toString().contains("all-minilm"))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--jars has no all-minilm jar"));
    }
  }
}
