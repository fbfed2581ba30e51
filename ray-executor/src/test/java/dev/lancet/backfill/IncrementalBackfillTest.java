package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.Counting;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;

/** Filtered and incremental backfills and checkpoints, proved by counting UDF calls. */
class IncrementalBackfillTest {
  @TempDir Path dir;
  private String uri;

  @BeforeEach
  void table() {
    uri = LanceTestTables.withCountingArea(dir);
  }

  @AfterEach
  void reset() {
    Counting.failFrom = Integer.MAX_VALUE;
    Counting.HOOK.set(null);
  }

  private static long area(int id) {
    return (long) LanceTestTables.x(id) * LanceTestTables.y(id);
  }

  private void assertAreas(java.util.function.IntPredicate computed) {
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      assertEquals(computed.test(id) ? area(id) : null, row.get("area"), "area of id " + id);
    }
  }

  @Test
  void runningTheSameBackfillAgainComputesNothingAndCommitsNothing() {
    BackfillResult first = Backfill.of(uri, "area").batchSize(4).run();
    assertEquals(30, first.rowsComputed());
    assertEquals(30, Counting.CALLS.get());
    long version = LanceTestReads.version(uri);

    BackfillResult second = Backfill.of(uri, "area").batchSize(7).run();

    assertEquals(0, second.rowsComputed());
    assertEquals(30, second.rowsSkipped());
    assertEquals(0, second.commits());
    assertEquals(30, Counting.CALLS.get(), "no UDF call the second time");
    assertEquals(version, LanceTestReads.version(uri));
    assertAreas(id -> true);
  }

  @Test
  void afterAnAppendOnlyTheNewRowsAreComputed() {
    Backfill.of(uri, "area").run();
    LanceTestTables.append(uri, 30, 1, 5);
    Counting.CALLS.set(0);

    BackfillResult result = Backfill.of(uri, "area").run();

    assertEquals(5, result.rowsComputed());
    assertEquals(30, result.rowsSkipped());
    assertEquals(5, Counting.CALLS.get());
    assertAreas(id -> true);
  }

  @Test
  void aNewUdfVersionRecomputesEverything() {
    Backfill.of(uri, "area").run();
    UdfSpec v2 =
        UdfInspector.inspect(Counting.Area.class, Map.of("note", "v2"), List.of("id", "x", "y"));
    VirtualColumns.replace(uri, Map.of(), "area", v2);
    Counting.CALLS.set(0);

    BackfillResult result = Backfill.of(uri, "area").run();

    assertEquals(30, result.rowsComputed());
    assertEquals(30, Counting.CALLS.get());
    assertEquals(v2, VirtualColumns.list(uri, Map.of()).get("area"));
  }

  @Test
  void filteredBackfillComputesMatchingRowsAndKeepsTheOthers() {
    // The reference's filters, verbatim, in Lance's filter language.
    BackfillResult a = Backfill.of(uri, "area").where("starts_with(name, 'file-1')").run();
    assertEquals(11, a.rowsComputed(), "file-1 and file-10..19");
    assertAreas(id -> String.valueOf(id).startsWith("1"));

    Backfill.of(uri, "area")
        .where("(starts_with(name, 'file-2') or starts_with(name, 'file-3')) and area is null")
        .run();
    assertAreas(
        id ->
            String.valueOf(id).startsWith("1")
                || String.valueOf(id).startsWith("2")
                || String.valueOf(id).startsWith("3"));

    // A filter on the virtual column itself: compute what is still missing.
    Counting.CALLS.set(0);
    BackfillResult rest = Backfill.of(uri, "area").where("area is null").run();
    assertEquals(30 - 11 - 11 - 1, rest.rowsComputed());
    assertEquals(rest.rowsComputed(), Counting.CALLS.get());
    assertAreas(id -> true);
  }

  @Test
  void aBadFilterFailsBeforeAnyWorkNamingTheProblem() {
    BackfillException e =
        assertThrows(
            BackfillException.class, () -> Backfill.of(uri, "area").where("nope > 1").run());
    assertTrue(e.getMessage().startsWith("invalid filter 'nope > 1': "), e.getMessage());
    assertTrue(e.getMessage().contains("No field named nope"), e.getMessage());
    assertEquals(0, Counting.CALLS.get());
  }

  /**
   * Fails at id 25: fragments 0 and 1 are finished but not committed, fragment 2 has checkpointed
   * rows 20-24.
   */
  private void failMidwayThroughTheThirdFragment() throws IOException {
    Counting.failFrom = 25;
    long version = LanceTestReads.version(uri);
    assertThrows(
        BackfillException.class,
        () ->
            Backfill.of(uri, "area")
                .batchSize(5)
                .concurrency(1)
                .commitGranularity(10)
                .checkpointInterval(java.time.Duration.ZERO)
                .run());
    assertEquals(version, LanceTestReads.version(uri), "nothing was committed");
    assertEquals(
        1,
        checkpointFiles().size(),
        "fragment 2's finished batch is checkpointed: " + checkpointFiles());
    Counting.failFrom = Integer.MAX_VALUE;
    Counting.CALLS.set(0);
  }

  @Test
  void aResumedBackfillCommitsTheFilesFinishedBeforeAndReusesCheckpointedBatches()
      throws IOException {
    failMidwayThroughTheThirdFragment();

    BackfillResult resumed = Backfill.of(uri, "area").batchSize(5).concurrency(1).run();

    assertEquals(5, Counting.CALLS.get(), "only rows 25-29 are computed");
    assertEquals(5, resumed.rowsComputed());
    assertEquals(25, resumed.rowsSkipped(), "two finished files and one checkpointed batch");
    assertAreas(id -> true);
    assertEquals(
        List.of(),
        checkpointFiles(),
        "checkpoints are removed once their fragment's file is written");
  }

  @Test
  void aCorruptCheckpointIsComputedAgain() throws IOException {
    failMidwayThroughTheThirdFragment();
    Path corrupt = checkpointFiles().get(0);
    byte[] bytes = Files.readAllBytes(corrupt);
    Files.write(
        corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated, as by a crash

    BackfillResult resumed = Backfill.of(uri, "area").batchSize(5).concurrency(1).run();

    assertEquals(10, Counting.CALLS.get(), "the third fragment's rows");
    assertEquals(20, resumed.rowsSkipped());
    assertAreas(id -> true);
  }

  private List<Path> checkpointFiles() throws IOException {
    Path d = Path.of(uri, "_lancet", "checkpoints", "area");
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(d)) {
      return files
          .filter(
              p ->
                  p.getFileName().toString().startsWith("segment-")
                      || p.getFileName().toString().startsWith("part-"))
          .sorted()
          .toList();
    }
  }

  @Test
  void
      withoutCheckpointsAFailedRunLeavesNoBatchesAndTheRerunComputesAgainButSkipsCommittedFragments()
          throws IOException {
    Counting.failFrom =
        25; // fragments 0 and 1 are committed (granularity 1), fragment 2 fails midway
    assertThrows(
        BackfillException.class,
        () ->
            Backfill.of(uri, "area")
                .batchSize(5)
                .concurrency(1)
                .commitGranularity(1)
                .checkpoints(false)
                .checkpointInterval(java.time.Duration.ZERO)
                .run());
    assertEquals(List.of(), checkpointFiles(), "no checkpoint is written");
    Counting.failFrom = Integer.MAX_VALUE;
    Counting.CALLS.set(0);

    BackfillResult rerun =
        Backfill.of(uri, "area").batchSize(5).concurrency(1).checkpoints(false).run();

    assertEquals(10, rerun.rowsComputed(), "only the failed fragment: " + rerun);
    assertEquals(20, rerun.rowsSkipped(), "the committed fragments are up to date: " + rerun);
    assertEquals(10, Counting.CALLS.get());
    assertAreas(id -> true);
  }

  @Test
  void rowsAppendedWithTheColumnInTheirDataFileAreBackfilledBesideTheOthers() {
    Backfill.of(uri, "area").where("id < 5").run();
    LanceTestTables.appendWithAllColumns(
        uri, 30, 6); // "area" lives inside this fragment's one data file
    BackfillResult all = Backfill.of(uri, "area").commitGranularity(10).run();
    assertEquals(25 + 6, all.rowsComputed(), "every row but the five computed before");
    assertEquals(2, all.commits(), "one commit per field set of the replaced files");
    assertAreas(id -> true);
  }

  @Test
  void rowsAppendedDuringABackfillAreKeptAndComputedByTheSameJob() {
    Counting.HOOK.set(() -> LanceTestTables.append(uri, 100, 1, 4));
    BackfillResult first = Backfill.of(uri, "area").concurrency(1).run();
    assertEquals(34, first.rowsComputed(), "a second round computed the rows appended meanwhile");
    assertEquals(
        34, LanceTestReads.rows(uri, List.of("id")).size(), "the concurrent append is kept");
    assertAreas(id -> true);

    BackfillResult next = Backfill.of(uri, "area").run();
    assertEquals(0, next.rowsComputed());
  }

  @Test
  void aRowDeletedDuringTheBackfillKeepsItsFragmentAlignedAndTheRerunComputesNothing() {
    Counting.HOOK.set(
        () -> {
          try (RootAllocator a = new RootAllocator();
              Dataset ds = Dataset.open(uri, a)) {
            ds.delete("id = 25"); // a row of the last fragment, while the first one computes
          }
        });
    BackfillResult first = Backfill.of(uri, "area").concurrency(1).run();
    assertEquals(
        3,
        first.fragmentsCommitted(),
        "a file holds every physical row in place: a deletion keeps it aligned");
    long version = LanceTestReads.version(uri);

    BackfillResult next = Backfill.of(uri, "area").run();
    assertEquals(0, next.rowsComputed());
    assertEquals(0, next.commits());
    assertEquals(version, LanceTestReads.version(uri));
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      assertTrue(id != 25);
      assertEquals(area(id), row.get("area"), "area of id " + id);
    }
  }

  @Test
  void aCompactionDuringTheBackfillLeavesTheTableConsistent() {
    Counting.HOOK.set(
        () -> {
          try (RootAllocator a = new RootAllocator();
              Dataset ds = Dataset.open(uri, a)) {
            ds.delete("id = 3");
            ds.compact(); // rewrites fragments: the planned ones disappear
          }
        });
    Backfill.of(uri, "area").concurrency(1).run();
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      Object area = row.get("area");
      int id = (Integer) row.get("id");
      assertTrue(
          area == null || area.equals(area(id)), "no misaligned value for id " + id + ": " + area);
    }
    Backfill.of(uri, "area").run();
    assertAreas(id -> true);
  }

  @Test
  void twoBackfillsOfTheSameColumnLandOnceAndOfDifferentColumnsBothLand() {
    VirtualColumns.add(
        uri,
        Map.of(),
        "label",
        UdfInspector.inspect(Counting.Label.class, Map.of("suffix", "!"), List.of("id", "name")));
    // While "area" computes its first fragment, another backfill of "area" and one of "label" run
    // to the end.
    BackfillResult[] inner = new BackfillResult[2];
    Counting.HOOK.set(
        () -> {
          inner[0] = Backfill.of(uri, "area").concurrency(1).run();
          inner[1] = Backfill.of(uri, "label").concurrency(1).run();
        });
    BackfillResult outer = Backfill.of(uri, "area").concurrency(1).run();

    assertEquals(3, inner[0].fragmentsCommitted());
    assertEquals(3, inner[1].fragmentsCommitted());
    assertEquals(
        0,
        outer.fragmentsCommitted(),
        "the slower backfill of the same column commits nothing over the newer values");
    assertAreas(id -> true);
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "label"))) {
      assertEquals("file-" + row.get("id") + "!", row.get("label"), "both columns land");
    }
  }

  @Test
  void everyBackfillIsAJobRecordedUnderTheTableWithItsFinalStateAndProgress() {
    List<BackfillProgress> progress = new java.util.ArrayList<>();
    BackfillResult first =
        Backfill.of(uri, "area").where("id >= 0").onProgress(progress::add).run();
    BackfillResult second = Backfill.of(uri, "area").where("id >= 0").run();

    List<dev.lancet.backfill.BackfillJob> jobs = dev.lancet.backfill.store.JobRecords.list(uri);
    assertEquals(
        List.of(first.jobId(), second.jobId()),
        jobs.stream().map(dev.lancet.backfill.BackfillJob::jobId).toList());
    var job = jobs.get(0);
    assertEquals(dev.lancet.backfill.JobStatus.SUCCEEDED, job.status());
    assertEquals("area", job.column());
    assertEquals("id >= 0", job.filter());
    assertEquals(3, job.fragmentsDone());
    assertEquals(3, job.fragmentsTotal());
    assertEquals(30, job.rowsComputed());
    assertTrue(job.finishedAt() >= job.startedAt() && job.rowsPerSecond() > 0, job.toString());
    assertEquals(30, jobs.get(1).rowsSkipped(), "the second job found everything up to date");
    List<BackfillProgress> finished =
        progress.stream().filter(BackfillProgress::fragmentFinished).toList();
    assertEquals(List.of(1, 2, 3), finished.stream().map(BackfillProgress::fragmentsDone).toList());
    assertEquals(30, finished.get(2).rowsDone());
    assertEquals(30, finished.get(2).rowsTotal());
    assertEquals(1.0, finished.get(2).fraction());
    assertEquals(java.util.OptionalLong.of(0), finished.get(2).etaMillis());
  }

  @Test
  void aColumnNeverComputedStaysNullOutsideTheFilter() {
    Backfill.of(uri, "area").where("id < 3").run();
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      if ((Integer) row.get("id") >= 3) {
        assertNull(row.get("area"));
      }
    }
  }
}
