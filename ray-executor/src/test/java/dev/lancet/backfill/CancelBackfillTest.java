package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.lance.TableLocation;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.SlowArea;
import dev.lancet.udf.UdfInspector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancelling a running backfill, from its own process and through its table from another session:
 * it stops within a batch, commits nothing more, is recorded cancelled, and the next run resumes
 * from what it finished.
 */
class CancelBackfillTest {
  private static final int BATCH = 5;
  @TempDir Path dir;
  private String uri;
  private Path calls;

  @BeforeEach
  void table() {
    uri = LanceTestTables.create(dir, "t", 4, 10); // 40 rows, 40 ms each
    VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(SlowArea.class, Map.of(), List.of("id", "x", "y")));
    calls = dir.resolve("calls.txt");
    System.setProperty("lancet.test.calls", calls.toString());
  }

  private long calls() throws Exception {
    return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
  }

  private CompletableFuture<BackfillResult> start(BackfillControl control) {
    return CompletableFuture.supplyAsync(
        () ->
            Backfill.of(uri, "area")
                .batchSize(BATCH)
                .concurrency(1)
                .commitGranularity(100)
                .checkpointInterval(java.time.Duration.ZERO)
                .control(control)
                .run());
  }

  private void awaitCalls(long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (calls() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private void assertResumes(long before) throws Exception {
    BackfillResult resumed = Backfill.of(uri, "area").batchSize(BATCH).concurrency(1).run();
    assertEquals(40, resumed.rowsComputed() + resumed.rowsSkipped());
    assertTrue(
        resumed.rowsSkipped() >= before - BATCH,
        "what finished before the cancel was reused: " + resumed);
    assertTrue(
        calls() <= 40 + 2 * BATCH, "at most the batches in flight were computed twice: " + calls());
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
  }

  @Test
  void aCancelledBackfillStopsWithinABatchAndTheNextRunResumes() throws Exception {
    long version = LanceTestReads.version(uri);
    BackfillControl control = new BackfillControl();
    CompletableFuture<BackfillResult> running = start(control);
    awaitCalls(13);

    control.cancel("the user pressed Ctrl-C");
    long atCancel = calls();

    ExecutionException e =
        assertThrows(ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof BackfillCancelledException, e.getCause().toString());
    assertTrue(
        e.getCause().getMessage().contains("the user pressed Ctrl-C"), e.getCause().getMessage());
    long afterCancel = calls();
    assertTrue(
        afterCancel - atCancel <= BATCH,
        "stopped within a batch: " + (afterCancel - atCancel) + " more rows");
    assertEquals(version, LanceTestReads.version(uri), "nothing committed after the cancel");
    BackfillJob job = BackfillJobs.list(uri, Map.of()).get(0);
    assertEquals(JobStatus.CANCELLED, job.status());
    assertResumes(afterCancel);
  }

  @Test
  void cancelBackfillThroughTheTableReachesAJobOfAnotherSession() throws Exception {
    BackfillControl control = new BackfillControl();
    CompletableFuture<BackfillResult> running = start(control);
    awaitCalls(8);
    String jobId = BackfillJobs.list(uri, Map.of()).get(0).jobId();
    assertEquals(JobStatus.RUNNING, BackfillJobs.list(uri, Map.of()).get(0).status());

    // As another process does: only the request in the table (not this JVM's registry).
    dev.lancet.backfill.store.JobRecords.requestCancel(
        new TableLocation(uri, Map.of()), jobId, "CANCEL BACKFILL from another session");

    ExecutionException e =
        assertThrows(ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
    assertTrue(
        e.getCause().getMessage().contains("CANCEL BACKFILL from another session"),
        e.getCause().getMessage());
    assertEquals(JobStatus.CANCELLED, BackfillJobs.list(uri, Map.of()).get(0).status());
    assertResumes(calls());
  }

  @Test
  void theConsoleCancelsEveryBackfillOfItsJvm() throws Exception {
    CompletableFuture<BackfillResult> running = start(new BackfillControl());
    awaitCalls(3);
    assertEquals(1, RunningBackfills.cancelAll("interrupted").size());
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof BackfillCancelledException);
    assertEquals(List.of(), RunningBackfills.cancelAll("nothing runs"));
  }
}
