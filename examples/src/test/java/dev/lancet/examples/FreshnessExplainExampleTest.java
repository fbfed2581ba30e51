package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.CliRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The freshness and EXPLAIN example script through lancet-sql: stale rows counted by why, the plan
 * printed as text, a pilot run of 50 rows, and the BACKFILL computing exactly what the plan said.
 */
class FreshnessExplainExampleTest {
  @TempDir Path warehouse;

  @Test
  void theScriptCountsStaleRowsExplainsThePlanAndTheRunComputesIt() {
    CliRun run = CliRun.run(warehouse, "", "-f", "sql/freshness_and_explain.sql");
    assertEquals(0, run.code(), run.err());
    String out = run.out();
    // | area | 590 | 10 | 0 | 0 | 500 |, then after the run | area | 1100 | 0 | 0 |
    List<String> counts =
        out.lines()
            .filter(l -> l.startsWith("| area "))
            .map(l -> l.replaceAll("[| ]+", " ").trim())
            .toList();
    assertTrue(counts.contains("area 590 10 0 0 500"), out);
    assertTrue(counts.contains("area 1100 0 0"), out);
    assertTrue(
        out.contains(
            "rows to compute: 510 (new 100, previously filtered out 400, input changed 10)"),
        out);
    assertTrue(out.contains("estimate: "), out);
    // The pilot's 50 rows, then the full run's 460: 1,100 current.
    assertTrue(counts.stream().anyMatch(l -> l.startsWith("area 50 590 0 ")), out);
    assertTrue(out.contains("rows to compute: 460"), out);
    assertTrue(out.contains("memory: up to "), out);
    assertTrue(counts.stream().anyMatch(l -> l.startsWith("area 460 640 0 ")), out);
  }
}
