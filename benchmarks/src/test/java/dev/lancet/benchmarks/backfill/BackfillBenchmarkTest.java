package dev.lancet.benchmarks.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill benchmark end to end on tiny tables: every contender process starts, computes each
 * workload it supports, and its result is read back and checked against the expected checksum (a
 * wrong result is reported as "not run", so an empty not-run list means every contender was right);
 * then the JSON, the chart and the RESULTS.md section are written. It asserts no timing.
 */
class BackfillBenchmarkTest {
  @TempDir Path dir;

  @Test
  void everyContenderComputesTheRightValuesAndTheReportIsWritten() throws Exception {
    Path results = dir.resolve("results");
    Path markdown = dir.resolve("RESULTS.md");
    Files.writeString(markdown, "# Benchmark results\n\nkept as it is\n");

    int status =
        BackfillBenchmark.run(
            "--scale",
            "0.0005",
            "--reps",
            "1",
            "--warmups",
            "0",
            "--contenders",
            "lower-bound,lancet,lancet-batched,lancet-async,lancet-1-in-flight,lancet-no-checkpoints,"
                + "spark-native-rewrite,lance-spark-add-columns",
            "--python-skipped",
            "not in the unit tests",
            "--work",
            dir.resolve("work").toString(),
            "--results",
            results.toString(),
            "--results-md",
            markdown.toString());

    assertEquals(0, status);
    String json = Files.readString(results.resolve("backfill-" + LocalDate.now() + ".json"));
    assertTrue(json.contains("\"not_run\": {}"), "every contender ran and was right:\n" + json);
    // narrow and wide: lower bound, scalar, batched, no checkpoints, Spark native, lance-spark;
    // heavy: no native expression for the embedding; incremental: no batched run, and lance-spark
    // cannot fill new rows of an existing column.
    // embedding, embedding-filtered, many- and few-fragments: lower bound, scalar and batched;
    // io-bound: lower bound, 64 in flight, async HTTP, one at a time; rerun: Lancet only;
    // big-fragment: lower bound, scalar, batched, no checkpoints.
    assertEquals(6 + 6 + 5 + 4 + 3 * 4 + 4 + 1 + 4, count(json, "\"rep\": 0"), json);
    assertTrue(json.contains("\"embedding-filtered\": 500"), "half the rows are computed: " + json);
    assertTrue(json.contains("\"rerun\": 0"), json);
    assertTrue(json.contains("\"workload\": \"incremental\", \"contender\": \"lancet\""), json);
    assertTrue(Files.size(results.resolve("backfill-" + LocalDate.now() + ".png")) > 1000);
    String md = Files.readString(markdown);
    assertTrue(md.startsWith("# Benchmark results\n\nkept as it is\n"), md);
    assertTrue(
        md.contains("<!-- backfill-benchmark:all:begin -->")
            && md.contains("| narrow | 5,000 | lancet |"),
        md);
    assertTrue(
        !Files.exists(dir.resolve("work").resolve("tables"))
            || isEmpty(dir.resolve("work").resolve("tables")),
        "the per-run table copies are removed");
  }

  private static int count(String text, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static boolean isEmpty(Path d) throws Exception {
    try (var files = Files.list(d)) {
      return files.findAny().isEmpty();
    }
  }
}
