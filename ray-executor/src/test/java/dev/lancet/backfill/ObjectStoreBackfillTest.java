package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.store.InternalPaths;
import dev.lancet.lance.DataFiles;
import dev.lancet.testing.BackfillMain;
import dev.lancet.testing.FaultyProxy;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.S3TestServer;
import dev.lancet.testing.udfs.Counting;
import dev.lancet.testing.udfs.SlowArea;
import dev.lancet.udf.UdfInspector;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.Fragment;

/**
 * Backfills of tables in a bucket of a real S3-compatible server ({@link S3TestServer}): every
 * object Lancet writes (column files, checkpoint parts, done records, state, job records, signals)
 * goes through Lance's object-store I/O; nothing is left behind that no version references; a
 * killed driver resumes from the checkpoints in the bucket; and slow-downs and dropped connections
 * are ridden out.
 */
@Tag("s3")
class ObjectStoreBackfillTest {
  private static final String BUCKET = "lancet-engine";
  private static S3TestServer s3;
  private static Map<String, String> storage;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    s3 = S3TestServer.start();
    s3.createBucket(BUCKET);
    storage = s3.storageOptions();
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  @AfterEach
  void reset() {
    Counting.HOOK.set(null);
    Counting.failFrom = Integer.MAX_VALUE;
  }

  private static String table(String name, int fragments, int rows, Class<?> udf) {
    String uri = "s3://" + BUCKET + "/" + name + ".lance";
    LanceTestTables.create(uri, storage, fragments, rows);
    VirtualColumns.add(
        uri, storage, Map.of("area", UdfInspector.inspect(udf, Map.of(), List.of("id", "x", "y"))));
    return uri;
  }

  private static void assertAreas(String uri, Map<String, String> options, int rows) {
    List<Map<String, Object>> all = LanceTestReads.rows(uri, options, List.of("id", "area"));
    assertEquals(rows, all.size());
    for (Map<String, Object> row : all) {
      int id = (Integer) row.get("id");
      assertEquals(
          (long) LanceTestTables.x(id) * LanceTestTables.y(id),
          row.get("area"),
          "area of id " + id);
    }
  }

  /** Keys of the table's objects under {@code folder}, relative to it. */
  private static List<String> keys(String uri, String folder) {
    String prefix = URI.create(uri).getPath().substring(1) + "/" + folder;
    return s3.keys(BUCKET, prefix).stream().map(k -> k.substring(prefix.length())).toList();
  }

  /** Data files some version of the table references. */
  private static Set<String> referenced(String uri) {
    Set<String> files = new HashSet<>();
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = LanceTestReads.open(uri, storage, a)) {
      for (org.lance.Version v : ds.listVersions()) {
        try (Dataset at = ds.checkoutVersion(v.getId())) {
          for (Fragment f : at.getFragments()) {
            f.metadata().getFiles().forEach(d -> files.add(d.getPath()));
          }
        }
      }
    }
    return files;
  }

  @Test
  void aBackfillInABucketWritesOnlyWhatItsVersionsReferenceAndSettles() {
    String uri = table("settles", 4, 10, Counting.Area.class);
    Counting.CALLS.set(0);
    // Checkpoints after every batch of 5: parts are written, read back and merged in the bucket.
    BackfillResult result =
        Backfill.of(uri, "area")
            .storageOptions(storage)
            .batchSize(5)
            .concurrency(2)
            .checkpointInterval(Duration.ZERO)
            .run();
    assertEquals(40, result.rowsComputed());
    assertEquals(40, Counting.CALLS.get());
    assertAreas(uri, storage, 40);

    List<String> data = keys(uri, "data/");
    Set<String> referenced = referenced(uri);
    List<String> orphans = new ArrayList<>(data);
    orphans.removeAll(referenced);
    assertEquals(
        List.of(),
        orphans,
        "objects in data/ that no version references (checkpoint parts, failed files)");
    assertEquals(
        List.of(),
        keys(uri, "_lancet/checkpoints/"),
        "done records and parts are gone once committed");
    assertEquals(
        List.of(), keys(uri, "_lancet/signals/"), "the job's heartbeat is gone once it ended");
    assertTrue(keys(uri, "_lancet/jobs/").size() > 0, "the job record is in the bucket");

    long version = LanceTestReads.version(uri, storage);
    BackfillResult again = Backfill.of(uri, "area").storageOptions(storage).run();
    assertEquals(0, again.rowsComputed());
    assertEquals(0, again.commits());
    assertEquals(version, LanceTestReads.version(uri, storage));
    assertEquals(
        1,
        BackfillJobs.list(uri, storage).stream()
            .filter(j -> j.status() == JobStatus.SUCCEEDED)
            .filter(j -> j.rowsComputed() == 40)
            .count());
  }

  @Test
  void aKilledBackfillResumesFromItsCheckpointsInTheBucket() throws Exception {
    String uri = table("killed", 4, 10, SlowArea.class); // 40 rows, 8 batches of 5
    Path calls = dir.resolve("calls.txt");
    long version = LanceTestReads.version(uri, storage);

    Process child = childBackfill(uri, calls);
    dev.lancet.testing.ChildJvms.killWhen(
        child, dir.resolve("child.log"), "17 rows", () -> lines(calls) >= 17);
    long before = lines(calls);
    assertEquals(
        version, LanceTestReads.version(uri, storage), "nothing was committed before the kill");
    assertTrue(
        keys(uri, "_lancet/checkpoints/").size() > 0,
        "the killed run left its checkpoints in the bucket");
    String checkpoints = InternalPaths.checkpointsOf(uri, "area");
    assertEquals(
        Boolean.TRUE,
        DataFiles.anyUnder(checkpoints, storage),
        "one listing tells the next run to look for checkpoints");

    System.setProperty("lancet.test.calls", calls.toString());
    BackfillResult resumed =
        Backfill.of(uri, "area").storageOptions(storage).batchSize(5).concurrency(1).run();
    assertEquals(40, resumed.rowsComputed() + resumed.rowsSkipped());
    assertTrue(
        resumed.rowsSkipped() >= before - 5,
        "checkpointed rows were reused: " + resumed + ", " + before + " before");
    assertTrue(
        lines(calls) <= 40 + 5, "at most the batch in flight was computed twice: " + lines(calls));
    assertAreas(uri, storage, 40);
    List<String> orphans = new ArrayList<>(keys(uri, "data/"));
    orphans.removeAll(referenced(uri));
    assertEquals(List.of(), orphans, "the killed run's parts were merged or removed");
    assertEquals(
        Boolean.FALSE,
        DataFiles.anyUnder(checkpoints, storage),
        "no checkpoint left: the next run does not look for any");
  }

  @Test
  void slowDownsAndDroppedConnectionsInTheMiddleOfABackfillAreRiddenOut() {
    String uri = table("faulty", 6, 10, Counting.Area.class);
    int port = URI.create(s3.endpoint()).getPort();
    try (FaultyProxy proxy = new FaultyProxy(port)) {
      Map<String, String> viaProxy = S3TestServer.storageOptions(proxy.url());
      Counting.CALLS.set(0);
      // From the first UDF call: 503 SlowDown for 8 connections, then 8 connections dropped.
      Thread faults =
          new Thread(
              () -> {
                try {
                  while (proxy.refused() < 8) {
                    Thread.sleep(5);
                  }
                  proxy.fault(FaultyProxy.Mode.DROP, 8);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "faults");
      Counting.HOOK.set(
          () -> {
            proxy.fault(FaultyProxy.Mode.SLOW_DOWN, 8);
            faults.start();
          });
      BackfillResult result;
      try {
        result =
            Backfill.of(uri, "area")
                .storageOptions(viaProxy)
                .batchSize(5)
                .concurrency(2)
                .checkpointInterval(Duration.ZERO)
                .run();
      } finally {
        faults.interrupt();
      }
      assertEquals(60, result.rowsComputed());
      assertTrue(
          proxy.refused() >= 16,
          "the faults were met: " + proxy.refused() + " connections refused");
    }
    assertAreas(uri, storage, 60);
    List<String> orphans = new ArrayList<>(keys(uri, "data/"));
    orphans.removeAll(referenced(uri));
    assertEquals(List.of(), orphans);
  }

  @Test
  void errorsOnABucketNameTheTableButNeverTheCredentials() {
    Map<String, String> wrongKey = new java.util.HashMap<>(storage);
    wrongKey.put("endpoint", "http://127.0.0.1:1"); // nothing listens there
    wrongKey.put("client_max_retries", "1");
    wrongKey.put("client_retry_timeout", "2");
    for (Map<String, String> options : List.of(storage, wrongKey)) {
      RuntimeException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              RuntimeException.class,
              () ->
                  Backfill.of("s3://" + BUCKET + "/no-such-table.lance", "area")
                      .storageOptions(options)
                      .run());
      String text = e.toString() + (e.getCause() == null ? "" : e.getCause().toString());
      assertTrue(text.contains("no-such-table"), "the error names the table: " + text);
      assertTrue(
          !text.contains(storage.get("secret_access_key"))
              && !text.contains(storage.get("access_key_id")),
          "no credentials in the error: " + text);
    }
  }

  private static long lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }

  private Process childBackfill(String uri, Path calls) throws IOException {
    List<String> properties = new ArrayList<>(List.of("-Dlancet.test.calls=" + calls));
    storage.forEach((k, v) -> properties.add("-Dlancet.test.storage." + k + "=" + v));
    return dev.lancet.testing.ChildJvms.start(
        BackfillMain.class, properties, List.of(uri, "area", "5"), dir.resolve("child.log"));
  }
}
