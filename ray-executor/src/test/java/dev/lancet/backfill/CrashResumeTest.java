package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.BackfillMain;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.SlowArea;
import dev.lancet.udf.UdfInspector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver is killed with -9 in the middle of a backfill; the same backfill then resumes. */
class CrashResumeTest {
  private static final int BATCH = 5;

  @TempDir Path dir;

  @Test
  void backfillResumesFromCheckpointsAfterTheDriverIsKilled() throws Exception {
    String uri = LanceTestTables.create(dir, "t", 4, 10); // 40 rows, 8 batches of 5
    VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(SlowArea.class, Map.of(), List.of("id", "x", "y")));
    Path calls = dir.resolve("calls.txt");
    long version = LanceTestReads.version(uri);

    Process child = childBackfill(uri, calls);
    dev.lancet.testing.ChildJvms.killWhen(
        child, dir.resolve("child.log"), "17 rows", () -> calls(calls) >= 17);
    long callsBeforeKill = calls(calls);
    assertEquals(
        version, LanceTestReads.version(uri), "nothing was committed (commit_granularity 100)");

    System.setProperty("lancet.test.calls", calls.toString());
    BackfillResult resumed = Backfill.of(uri, "area").batchSize(BATCH).concurrency(1).run();

    assertEquals(40, resumed.rowsComputed() + resumed.rowsSkipped());
    // Checkpoints after every batch: all but the batch in flight at the kill is reused.
    assertTrue(
        resumed.rowsSkipped() >= callsBeforeKill - BATCH,
        "the finished files and checkpointed batches ("
            + callsBeforeKill
            + " rows computed before the kill) were reused: "
            + resumed);
    long totalCalls = Files.readAllLines(calls).size();
    assertTrue(
        totalCalls <= 40 + BATCH,
        "UDF calls beyond one clean run are at most the batch in flight: "
            + totalCalls
            + " ("
            + callsBeforeKill
            + " before the kill)");
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
  }

  private static long calls(Path calls) throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
  }

  private Process childBackfill(String uri, Path calls) throws IOException {
    return dev.lancet.testing.ChildJvms.start(
        BackfillMain.class,
        List.of("-Dlancet.test.calls=" + calls),
        List.of(uri, "area", String.valueOf(BATCH)),
        dir.resolve("child.log"));
  }
}
