package dev.lancet.benchmarks.backfill;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * One contender's process. Reads commands on stdin, one per line, and answers each with one line on
 * stdout starting with {@code @@} (everything else it or its libraries print goes to stderr):
 * {@code prepare <workload> <table>}, {@code run <workload> <table> <scratch dir>} (answer: seconds
 * and the result table), {@code quit}. A process per contender keeps its memory (peak RSS) and its
 * JIT warm-up its own.
 */
public final class ContenderServer {
  private ContenderServer() {}

  public static void main(String[] args) throws Exception {
    PrintStream protocol = System.out;
    System.setOut(System.err); // libraries' chatter must not mix with answers
    String name = args[0];
    Path catalogRoot = Path.of(args[1]);
    int cores = Integer.parseInt(args[2]);
    SparkSession spark = null;
    try (Contender contender = create(name, catalogRoot, cores)) {
      protocol.println("@@ready");
      protocol.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine();
          line != null && !line.equals("quit");
          line = in.readLine()) {
        String[] cmd = line.split("\t");
        try {
          Workload w = Workload.named(cmd[1]);
          if (cmd[0].equals("supports")) {
            protocol.println("@@ok\t" + contender.supports(w));
          } else if (cmd[0].equals("prepare")) {
            contender.prepare(w, cmd[2]);
            protocol.println("@@ok");
          } else {
            long start = System.nanoTime();
            String result = contender.run(w, cmd[2], Path.of(cmd[3]));
            double seconds = (System.nanoTime() - start) / 1e9;
            protocol.println(String.format(Locale.ROOT, "@@ok\t%.6f\t%s", seconds, result));
          }
        } catch (Throwable e) {
          e.printStackTrace();
          Throwable root = e;
          while (root.getCause() != null) {
            root = root.getCause();
          }
          protocol.println(
              "@@error\t"
                  + (e + (root == e ? "" : " (cause: " + root + ")"))
                      .replace('\n', ' ')
                      .replace('\t', ' '));
        }
        protocol.flush();
      }
    } finally {
      SparkSession active =
          SparkSession.getActiveSession().isDefined()
              ? SparkSession.getActiveSession().get()
              : spark;
      if (active != null) {
        active.stop();
      }
    }
    System.exit(0); // Ray's LOCAL mode leaves non-daemon threads behind
  }

  static Contender create(String name, Path catalogRoot, int cores) throws Exception {
    if (name.equals("lower-bound")) {
      return new LowerBoundLoop(cores);
    }
    SparkSession spark = BenchSpark.start(catalogRoot, cores);
    return switch (name) {
      case "lancet" ->
          new SparkContenders.LancetBackfill(
              spark, SparkContenders.Variant.SCALAR, true, cores, false);
      case "lancet-batched" ->
          new SparkContenders.LancetBackfill(
              spark, SparkContenders.Variant.BATCHED, true, cores, false);
      case "lancet-async" ->
          new SparkContenders.LancetBackfill(
              spark, SparkContenders.Variant.ASYNC, true, cores, false);
      case "lancet-1-in-flight" ->
          new SparkContenders.LancetBackfill(
              spark, SparkContenders.Variant.ONE_IN_FLIGHT, true, cores, false);
      case "lancet-no-checkpoints" ->
          new SparkContenders.LancetBackfill(
              spark, SparkContenders.Variant.SCALAR, false, cores, true);
      case "lancet-spark-engine" ->
          new SparkContenders.LancetBackfill(
              spark, SparkContenders.Variant.SCALAR, true, cores, false, "spark");
      case "lancet-1-worker" ->
          new SparkContenders.LancetBackfill(spark, SparkContenders.Variant.SCALAR, true, 1, true);
      case "spark-udf-rewrite" -> new SparkContenders.Rewrite(spark, false);
      case "spark-native-rewrite" -> new SparkContenders.Rewrite(spark, true);
      case "lance-spark-add-columns" -> new SparkContenders.LanceSparkAddColumns(spark);
      default -> throw new IllegalArgumentException("unknown contender '" + name + "'");
    };
  }
}
