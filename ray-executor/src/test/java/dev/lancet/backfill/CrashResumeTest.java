package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.BackfillMain;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.SlowArea;
import dev.lancet.udf.UdfInspector;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver is killed with -9 in the middle of a backfill; the same backfill then resumes. */
class CrashResumeTest {
  private static final int BATCH = 5;

  @TempDir Path dir;

  @Test
  void backfillResumesFromCheckpointsAfterTheDriverIsKilled() throws Exception {
    String uri = LanceTestTables.create(dir, "t", 4, 10); // 40 rows, 8 batches of 5
    VirtualColumns.add(uri, Map.of(), "area", UdfInspector.inspect(SlowArea.class, Map.of(), List.of("id", "x", "y")));
    Path calls = dir.resolve("calls.txt");
    long version = LanceTestReads.version(uri);

    Process child = childBackfill(uri, calls);
    Path checkpoints = Path.of(uri, "_lancet", "checkpoints", "area");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (checkpointedRows(checkpoints) < 15 && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(child.isAlive(), "the child finished before it could be killed; its output:\n" + output(child));
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    long checkpointed = checkpointedRows(checkpoints);
    long callsBeforeKill = Files.readAllLines(calls).size();
    assertEquals(version, LanceTestReads.version(uri), "nothing was committed (commit_granularity 100)");

    System.setProperty("lancet.test.calls", calls.toString());
    BackfillResult resumed = Backfill.of(uri, "area").batchSize(BATCH).concurrency(1).run();

    assertEquals(40, resumed.rowsComputed() + resumed.rowsSkipped());
    assertTrue(resumed.rowsSkipped() >= checkpointed, "the finished files and checkpointed batches (" + checkpointed
        + " rows) were reused: " + resumed);
    long totalCalls = Files.readAllLines(calls).size();
    assertTrue(totalCalls <= 40 + BATCH, "UDF calls beyond one clean run are at most the batch in flight: " + totalCalls
        + " (" + callsBeforeKill + " before the kill)");
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      assertEquals((long) LanceTestTables.x(id) * LanceTestTables.y(id), row.get("area"), "area of id " + id);
    }
  }

  /**
   * Rows a resumed run can reuse: 10 per fragment whose file is recorded as done, 5 per
   * checkpointed batch of the others (segment-<fragment key>-<n>, or part-... for pieces of a column file).
   */
  private static long checkpointedRows(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      names = files.map(p -> p.getFileName().toString()).toList();
    }
    java.util.Set<String> done = new java.util.HashSet<>();
    names.stream().filter(n -> n.startsWith("done-")).forEach(n -> done.add(n.substring(5, n.length() - ".lance".length())));
    long segments = names.stream().filter(n -> n.startsWith("segment-") || n.startsWith("part-"))
        .filter(n -> !done.contains(n.substring(n.indexOf('-') + 1, n.lastIndexOf('-')))).count();
    return done.size() * 10L + segments * BATCH;
  }


  private Process childBackfill(String uri, Path calls) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dray."))
        .toList());
    command.add("-Dlancet.test.calls=" + calls);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BackfillMain.class.getName());
    command.addAll(List.of(uri, "area", String.valueOf(BATCH)));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
  }

  private String output(Process child) throws IOException {
    File log = dir.resolve("child.log").toFile();
    return log.exists() ? Files.readString(log.toPath()) : "";
  }
}
