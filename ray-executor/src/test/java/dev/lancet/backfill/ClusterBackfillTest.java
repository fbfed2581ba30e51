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
 * Backfills on a real Ray cluster ({@code ray start --head} on 127.0.0.1, joined through
 * {@code lancet.ray.address}): the UDFs run in Ray's Java workers, other processes than this one.
 * bin/test starts the cluster and runs this suite (tag "cluster") after the embedded ones.
 */
@Tag("cluster")
class ClusterBackfillTest {
  @TempDir Path dir;

  private String table(int fragments, int rows, Path trace, long delayMillis) {
    String uri = LanceTestTables.create(dir, "t", fragments, rows);
    VirtualColumns.add(uri, Map.of(), "area", UdfInspector.inspect(Traced.class, UdfRegistration.of(List.of("id", "x", "y"), null,
        Map.of("trace", trace.toString(), "delay_ms", String.valueOf(delayMillis)))));
    return uri;
  }

  private static List<String> lines(Path trace, String kind) throws IOException {
    return Files.exists(trace) ? Files.readAllLines(trace).stream().filter(l -> l.startsWith(kind + " ")).toList() : List.of();
  }

  private static void assertAreas(String uri) {
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      assertEquals((long) LanceTestTables.x(id) * LanceTestTables.y(id), row.get("area"), "area of id " + id);
    }
  }

  @Test
  void udfsRunInTheClustersJavaWorkersAndSetUpOncePerActor() throws IOException {
    Path trace = dir.resolve("trace.txt");
    String uri = table(4, 25, trace, 0);

    BackfillResult result = Backfill.of(uri, "area").batchSize(10).concurrency(2).run();

    assertFalse(RayRuntime.isLocal(), "joined the cluster");
    assertEquals(100, result.rowsComputed());
    assertAreas(uri);
    Set<String> workers = lines(trace, "row").stream().map(l -> l.split(" ")[1]).collect(Collectors.toSet());
    assertFalse(workers.contains(String.valueOf(ProcessHandle.current().pid())), "rows were computed outside the driver");
    assertEquals(2, lines(trace, "setup").size(), "setup() once per actor (concurrency 2), not per batch: " + lines(trace, "setup"));
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
    java.nio.file.Path jar = dev.lancet.testing.ExternalJars.compile(dir.resolve("late/udfs.jar"),
        dev.lancet.testing.ExternalJars.areaUdf(udf, 0));
    String uri = LanceTestTables.create(dir, "jarred", 3, 10);
    try (java.net.URLClassLoader loader = dev.lancet.testing.ExternalJars.loader(jar)) {
      VirtualColumns.add(uri, Map.of(), Map.of("area", UdfInspector.inspect(udf, loader, UdfRegistration.DEFAULT)), loader,
          "jarred");
      BackfillResult result = Backfill.of(uri, "area").classLoader(loader).concurrency(2).run();
      assertEquals(30, result.rowsComputed());
      assertEquals(0, dev.lancet.testing.ExternalJars.calls(udf), "computed in the cluster's workers, not here");
      assertAreas(uri);
      assertEquals(0, Backfill.of(uri, "area").classLoader(loader).run().rowsComputed());
    }
  }

  @Test
  void aKilledWorkerFailsTheBackfillAndTheRerunResumesFromCheckpoints() throws Exception {
    Path trace = dir.resolve("trace.txt");
    String uri = table(3, 20, trace, 25); // 60 rows, batches of 5, about 1.5 s
    long version = LanceTestReads.version(uri);
    Thread killer = new Thread(() -> {
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lines(trace, "row").size() < 17 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        String pid = lines(trace, "row").get(0).split(" ")[1];
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly); // kill -9 the worker
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    killer.start();
    BackfillException e = assertThrows(BackfillException.class,
        () -> Backfill.of(uri, "area").batchSize(5).concurrency(1).commitGranularity(100)
            .checkpointInterval(java.time.Duration.ZERO).run()); // checkpoint after every batch
    killer.join();
    assertTrue(e.getMessage().startsWith("column 'area': "), e.getMessage());
    assertEquals(version, LanceTestReads.version(uri), "nothing committed");
    long before = lines(trace, "row").size();

    BackfillResult resumed = Backfill.of(uri, "area").batchSize(5).concurrency(1).run();

    assertEquals(60, resumed.rowsComputed() + resumed.rowsSkipped());
    assertTrue(resumed.rowsSkipped() >= 15, "the batches checkpointed before the kill were reused: " + resumed);
    long total = lines(trace, "row").size();
    assertTrue(total <= 60 + 5, "calls beyond one clean run are at most the batch in flight: " + total + " (" + before + " before)");
    assertAreas(uri);
  }
}
