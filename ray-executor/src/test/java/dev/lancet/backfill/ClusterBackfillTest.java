package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.ray.RayRuntime;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.Traced;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfills on a real Ray cluster ({@code ray start --head} on 127.0.0.1, joined through {@code
 * lancet.ray.address}): the UDFs run in Ray's Java workers, other processes than this one. bin/test
 * starts the cluster and runs this suite (tag "cluster") after the embedded ones.
 */
@Tag("cluster")
class ClusterBackfillTest {
  @TempDir Path dir;

  private String table(int fragments, int rows, Path trace, long delayMillis) {
    String uri = LanceTestTables.create(dir, "t", fragments, rows);
    VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(
            Traced.class,
            UdfRegistration.of(
                List.of("id", "x", "y"),
                null,
                Map.of("trace", trace.toString(), "delay_ms", String.valueOf(delayMillis)))));
    return uri;
  }

  private static List<String> lines(Path trace, String kind) throws IOException {
    return Files.exists(trace)
        ? Files.readAllLines(trace).stream().filter(l -> l.startsWith(kind + " ")).toList()
        : List.of();
  }

  private static void assertAreas(String uri) {
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
  }

  @Test
  void udfsRunInTheClustersJavaWorkersAndSetUpOncePerActor() throws IOException {
    Path trace = dir.resolve("trace.txt");
    String uri = table(4, 25, trace, 0);

    BackfillResult result = Backfill.of(uri, "area").batchSize(10).concurrency(2).run();

    assertFalse(RayRuntime.isLocal(), "joined the cluster");
    assertEquals(100, result.rowsComputed());
    assertAreas(uri);
    Set<String> workers =
        lines(trace, "row").stream().map(l -> l.split(" ")[1]).collect(Collectors.toSet());
    assertFalse(
        workers.contains(String.valueOf(ProcessHandle.current().pid())),
        "rows were computed outside the driver");
    assertEquals(
        2,
        lines(trace, "setup").size(),
        "setup() once per actor (concurrency 2), not per batch: " + lines(trace, "setup"));
  }

  @Test
  void columnsBackfilledTogetherShareTheClustersWorkersAndComputeEachRowOnce() throws IOException {
    Path trace = dir.resolve("trace.txt");
    Path trace2 = dir.resolve("trace2.txt");
    String uri = table(4, 25, trace, 0);
    VirtualColumns.add(
        uri,
        Map.of(),
        "area2",
        UdfInspector.inspect(
            Traced.class,
            UdfRegistration.of(
                List.of("id", "x", "y"),
                null,
                Map.of("trace", trace2.toString(), "delay_ms", "0"))));

    List<BackfillResult> results =
        Backfill.runTogether(
            List.of(
                Backfill.of(uri, "area").batchSize(10).concurrency(2),
                Backfill.of(uri, "area2").batchSize(10).concurrency(2)));

    assertEquals(100, results.get(0).rowsComputed());
    assertEquals(100, results.get(1).rowsComputed());
    assertAreas(uri);
    for (Path t : List.of(trace, trace2)) {
      List<String> rows = lines(t, "row");
      assertEquals(
          100, rows.stream().map(l -> l.split(" ")[2]).distinct().count(), "every row: " + t);
      assertEquals(100, rows.size(), "each row once: " + t);
      assertFalse(
          rows.stream()
              .anyMatch(l -> l.split(" ")[1].equals(String.valueOf(ProcessHandle.current().pid()))),
          "computed outside the driver");
      assertEquals(2, lines(t, "setup").size(), "one instance per actor: " + lines(t, "setup"));
    }
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("area", "area2"))) {
      assertEquals(row.get("area"), row.get("area2"));
    }
  }

  @Test
  void progressWithinAFragmentComesFromTheClustersWorkers() {
    String uri = table(1, 200, dir.resolve("trace.txt"), 15); // one fragment, ~3 s in a worker
    List<BackfillProgress> reports = new java.util.concurrent.CopyOnWriteArrayList<>();

    BackfillResult result =
        Backfill.of(uri, "area").batchSize(10).concurrency(1).onProgress(reports::add).run();

    assertEquals(200, result.rowsComputed());
    List<BackfillProgress> within =
        reports.stream()
            .filter(p -> !p.fragmentFinished() && p.fragmentsDone() == 0 && p.rowsDone() > 0)
            .toList();
    assertFalse(
        within.isEmpty(), "rows counted by the worker before its fragment finished: " + reports);
    assertTrue(
        within.stream().allMatch(p -> p.fraction() > 0 && p.fraction() < 1), within.toString());
    assertEquals(200, reports.get(reports.size() - 1).rowsDone());
  }

  @Test
  void splitFragmentsAreAssembledAsTheirRangesReturnOnTheClustersWorkers() throws IOException {
    Path trace = dir.resolve("trace.txt");
    String uri = table(3, 400, trace, 0);
    long version = LanceTestReads.version(uri);

    BackfillResult result =
        Backfill.of(uri, "area").taskSize(100).batchSize(50).concurrency(2).run();

    assertEquals(1_200, result.rowsComputed());
    assertEquals(3, result.fragmentsCommitted());
    assertAreas(uri);
    List<String> rows = lines(trace, "row");
    assertEquals(1_200, rows.size(), "each row once");
    assertEquals(1_200, rows.stream().map(l -> l.split(" ")[2]).distinct().count());

    BackfillResult again = Backfill.of(uri, "area").taskSize(100).where("id < 50").run();
    assertEquals(0, again.rowsComputed());
    assertEquals(version + result.commits(), LanceTestReads.version(uri), "a rerun: no version");
  }

  @Test
  void rerunsComputeNothingAndFiltersComputeOnlyMatchingRowsOnTheCluster() throws IOException {
    Path trace = dir.resolve("trace.txt");
    String uri = table(2, 10, trace, 0);
    BackfillResult filtered = Backfill.of(uri, "area").where("id < 5").run();
    assertEquals(5, filtered.rowsComputed());
    BackfillResult rest = Backfill.of(uri, "area").where("area is null").run();
    assertEquals(15, rest.rowsComputed());
    BackfillResult again = Backfill.of(uri, "area").where("area is null").run();
    assertEquals(0, again.rowsComputed());
    assertEquals(20, lines(trace, "row").size(), "each row computed once");
    assertAreas(uri);
  }

  @Test
  void aUdfFromAJarTheDriverAddedAfterRayStartedRunsInTheClustersWorkers() throws Exception {
    String udf = "com.acme.cluster.JarArea";
    // Ray is already up (an earlier backfill of this suite): the jar reaches the workers anyway.
    Backfill.of(table(1, 5, dir.resolve("warm.txt"), 0), "area").run();
    java.nio.file.Path jar =
        dev.lancet.testing.ExternalJars.compile(
            dir.resolve("late/udfs.jar"), dev.lancet.testing.ExternalJars.areaUdf(udf, 0));
    String uri = LanceTestTables.create(dir, "jarred", 3, 10);
    try (java.net.URLClassLoader loader = dev.lancet.testing.ExternalJars.loader(jar)) {
      VirtualColumns.add(
          uri,
          Map.of(),
          Map.of("area", UdfInspector.inspect(udf, loader, UdfRegistration.DEFAULT)),
          loader,
          "jarred");
      BackfillResult result = Backfill.of(uri, "area").classLoader(loader).concurrency(2).run();
      assertEquals(30, result.rowsComputed());
      assertEquals(
          0,
          dev.lancet.testing.ExternalJars.calls(udf),
          "computed in the cluster's workers, not here");
      assertAreas(uri);
      assertEquals(0, Backfill.of(uri, "area").classLoader(loader).run().rowsComputed());
    }
  }

  @Test
  void theClustersWorkersRetryTransientFailuresAndRecordTheRowsThatStillFail() {
    String uri = LanceTestTables.create(dir, "t", 2, 10);
    VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(
            dev.lancet.testing.udfs.Flaky.class,
            UdfRegistration.of(
                List.of("id", "x", "y"),
                null,
                Map.of(
                    "on_error",
                    "retry",
                    "retry_attempts",
                    "3",
                    "retry_backoff_ms",
                    "1",
                    "fail_times",
                    "2",
                    "counter",
                    "cluster-retry"))));
    assertEquals(
        0,
        Backfill.of(uri, "area").concurrency(2).run().rowsFailed(),
        "every row succeeded on its third call");
    assertAreas(uri);

    String exhausted = LanceTestTables.create(dir, "u", 1, 10);
    VirtualColumns.add(
        exhausted,
        Map.of(),
        "area",
        UdfInspector.inspect(
            dev.lancet.testing.udfs.Flaky.class,
            UdfRegistration.of(
                List.of("id", "x", "y"),
                null,
                Map.of(
                    "on_error",
                    "retry",
                    "retry_attempts",
                    "2",
                    "retry_backoff_ms",
                    "1",
                    "retry_then",
                    "null",
                    "fail_times",
                    "9",
                    "counter",
                    "cluster-exhausted",
                    "max_error_fraction",
                    "1"))));
    BackfillResult r = Backfill.of(exhausted, "area").run();
    assertEquals(10, r.rowsFailed());
    List<RecordedError> errors = BackfillJobs.errors(exhausted, Map.of(), r.jobId());
    assertEquals(10, errors.size(), "recorded by the worker processes through the table");
    assertTrue(errors.stream().allMatch(e -> e.error().attempts() == 2), errors.toString());
  }

  @Test
  void aKilledWorkerIsReplacedAndItsFragmentResumesFromItsCheckpoints() throws Exception {
    Path trace = dir.resolve("trace.txt");
    String uri = table(3, 20, trace, 25); // 60 rows, batches of 5, about 1.5 s
    Thread killer =
        new Thread(
            () -> {
              try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (lines(trace, "row").size() < 17 && System.nanoTime() < deadline) {
                  Thread.sleep(10);
                }
                String pid = lines(trace, "row").get(0).split(" ")[1];
                ProcessHandle.of(Long.parseLong(pid))
                    .ifPresent(ProcessHandle::destroyForcibly); // kill -9 the worker
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    killer.start();

    BackfillResult result =
        Backfill.of(uri, "area")
            .batchSize(5)
            .concurrency(1)
            .commitGranularity(100)
            .checkpointInterval(java.time.Duration.ZERO)
            .run(); // checkpoint after every batch
    killer.join();

    assertEquals(60, result.rowsComputed() + result.rowsSkipped(), result.toString());
    Set<String> pids =
        lines(trace, "row").stream().map(l -> l.split(" ")[1]).collect(Collectors.toSet());
    assertEquals(2, pids.size(), "a second worker took over: " + pids);
    long total = lines(trace, "row").size();
    assertTrue(
        total <= 60 + 5,
        "rows computed beyond one clean run are at most the batch in flight: " + total);
    assertAreas(uri);
  }

  @Test
  void aFragmentWhoseWorkerDiesEveryTimeFailsTheJobAfterThreeAttemptsKeepingTheRest()
      throws IOException {
    Path trace = dir.resolve("trace.txt");
    String uri = LanceTestTables.create(dir, "t", 2, 10);
    VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(
            Traced.class,
            UdfRegistration.of(
                List.of("id", "x", "y"), null, Map.of("trace", trace.toString(), "die_at", "13"))));
    long version = LanceTestReads.version(uri);

    BackfillException e =
        assertThrows(
            BackfillException.class,
            () ->
                Backfill.of(uri, "area").batchSize(5).concurrency(1).commitGranularity(100).run());

    assertTrue(
        e.getMessage()
            .startsWith(
                "column 'area': fragment 1 lost its worker 3 times (the worker process died"),
        e.getMessage());
    assertEquals(JobStatus.FAILED, BackfillJobs.list(uri, Map.of()).get(0).status());
    assertEquals(version, LanceTestReads.version(uri));
    assertEquals(3, lines(trace, "setup").size(), "the first worker and two that replaced it");
  }

  @Test
  void aCancelledBackfillStopsTheClustersWorkersAndLeavesNoneBehind() throws Exception {
    Path trace = dir.resolve("trace.txt");
    String uri = table(4, 20, trace, 30);
    BackfillControl control = new BackfillControl();
    java.util.concurrent.CompletableFuture<BackfillResult> running =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                Backfill.of(uri, "area")
                    .batchSize(5)
                    .concurrency(2)
                    .checkpointInterval(java.time.Duration.ZERO)
                    .control(control)
                    .run());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lines(trace, "row").size() < 12 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    control.cancel("test");
    long atCancel = lines(trace, "row").size();

    java.util.concurrent.ExecutionException e =
        assertThrows(
            java.util.concurrent.ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof BackfillCancelledException, e.getCause().toString());
    // Each worker finishes the batch it is in (5 rows); a row may start while the news travels.
    assertTrue(
        lines(trace, "row").size() - atCancel <= 2 * (5 + 1),
        "each worker stopped within a batch: "
            + (lines(trace, "row").size() - atCancel)
            + " rows after the cancel of "
            + lines(trace, "row").size());
    assertEquals(JobStatus.CANCELLED, BackfillJobs.list(uri, Map.of()).get(0).status());
    for (String pid :
        lines(trace, "setup").stream().map(l -> l.split(" ")[1]).collect(Collectors.toSet())) {
      ProcessHandle worker = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
      if (worker != null) {
        worker.onExit().get(30, TimeUnit.SECONDS); // its actor was killed: the process ends
      }
    }
    BackfillResult resumed = Backfill.of(uri, "area").concurrency(2).run();
    assertEquals(80, resumed.rowsComputed() + resumed.rowsSkipped());
    assertAreas(uri);
  }
}
