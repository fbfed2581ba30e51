package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.store.InternalPaths;
import dev.lancet.lance.Allocators;
import dev.lancet.testing.BackfillMain;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.TableFiles;
import dev.lancet.testing.udfs.Overlapping;
import dev.lancet.testing.udfs.SlowArea;
import dev.lancet.testing.udfs.Wide32;
import dev.lancet.udf.UdfInspector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fragment larger than the task size is cut into row ranges that different workers compute at
 * once; the fragment is assembled from the ranges' parts and committed once, its values right, each
 * row computed once, nothing left behind; a killed run resumes each range from its parts.
 */
class SplitFragmentTest {
  @TempDir Path dir;

  private String table(String name, int rows, Class<?> udf, List<String> inputs) {
    String uri = LanceTestTables.create(dir, name, 1, rows);
    VirtualColumns.add(uri, Map.of(), "area", UdfInspector.inspect(udf, Map.of(), inputs));
    return uri;
  }

  private static void assertNothingLeft(String uri) throws IOException {
    assertNothingLeft(uri, 0);
  }

  /**
   * No part or done record is left, every referenced file exists, and at most {@code killedParts}
   * data files no version references (a run killed with -9 leaves the part each range was writing,
   * and Lance's temporary files of writes it cut short).
   */
  private static void assertNothingLeft(String uri, int killedParts) throws IOException {
    Path checkpoints = Path.of(InternalPaths.checkpointsOf(uri, "area"));
    List<String> left;
    try (var files =
        Files.exists(checkpoints)
            ? Files.list(checkpoints)
            : java.util.stream.Stream.<Path>empty()) {
      // A record a kill -9 cut short may leave a temporary file of Lance's: not a record.
      left =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.matches("(part|done)-.*\\.lance"))
              .sorted()
              .toList();
    }
    assertEquals(List.of(), left, "no part or done record left");
    List<String> orphans =
        TableFiles.orphans(uri).stream().filter(f -> !f.startsWith(".tmp")).toList();
    assertTrue(
        orphans.size() <= killedParts,
        "the ranges' parts were merged and removed, but for a killed run's open ones: " + orphans);
    TableFiles.assertEveryReferencedFileExists(uri);
  }

  @Test
  void aBigFragmentIsComputedInRangesAtOnceAndCommittedOnceWithEachRowComputedOnce()
      throws IOException {
    String uri = table("big", 4_000, Overlapping.class, List.of("x", "y"));
    long version = LanceTestReads.version(uri);
    Overlapping.reset();

    BackfillResult result = Backfill.of(uri, "area").taskSize(1_000).concurrency(4).run();

    assertEquals(4_000, result.rowsComputed());
    assertEquals(4_000, Overlapping.CALLS.get(), "each row once");
    assertTrue(
        Overlapping.MOST_AT_ONCE.get() >= 2,
        "ranges of one fragment computed at once: " + Overlapping.MOST_AT_ONCE.get());
    assertEquals(1, result.fragmentsCommitted());
    assertEquals(1, result.commits());
    assertEquals(version + 1, LanceTestReads.version(uri));
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    assertNothingLeft(uri);

    Overlapping.reset();
    BackfillResult again = Backfill.of(uri, "area").taskSize(1_000).concurrency(4).run();
    assertEquals(0, again.rowsComputed());
    assertEquals(0, Overlapping.CALLS.get());
    assertEquals(version + 1, LanceTestReads.version(uri));
  }

  @Test
  void partsAreWrittenInTheCheaperFormatAndTheColumnFileInTheTablesOwn() throws IOException {
    // Ranges (split) and a fragment checkpointed after every batch (not split): both merge parts.
    for (Long taskSize : List.of(1_000L, (long) Integer.MAX_VALUE)) {
      String uri = LanceTestTables.createInFormat(dir, "v21-" + taskSize, 1, 4_000, "2.1");
      VirtualColumns.add(
          uri,
          Map.of(),
          "area",
          UdfInspector.inspect(Overlapping.class, Map.of(), List.of("x", "y")));
      Overlapping.reset();

      BackfillResult result =
          Backfill.of(uri, "area")
              .taskSize(taskSize.intValue())
              .batchSize(500)
              .checkpointInterval(java.time.Duration.ZERO)
              .concurrency(2)
              .run();

      assertEquals(4_000, result.rowsComputed());
      assertEquals(4_000, Overlapping.CALLS.get(), "each row once");
      LanceTestReads.assertEveryAreaIsXTimesY(uri);
      assertEquals(
          Set.of("2.1"), TableFiles.formats(uri), "every data file in the table's format (2.1)");
      assertNothingLeft(uri);
    }
  }

  @Test
  void theDefaultTaskSizeSplitsAFragmentSoEveryWorkerHasWork() throws IOException {
    String uri = table("default", 8_192, Overlapping.class, List.of("x", "y"));
    Overlapping.reset();

    BackfillResult result = Backfill.of(uri, "area").concurrency(2).run();

    assertEquals(8_192, result.rowsComputed());
    assertEquals(8_192, Overlapping.CALLS.get());
    assertTrue(Overlapping.MOST_AT_ONCE.get() >= 2, "both workers computed the one fragment");
    assertEquals(1, result.fragmentsCommitted());
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    assertNothingLeft(uri);
  }

  @Test
  void aCheapUdfsAppendedFragmentIsComputedWholeOnceItsLastJobMeasuredItsSpeed()
      throws IOException {
    String uri = table("cheap", 200_000, dev.lancet.testing.udfs.Area.class, List.of("x", "y"));
    assertEquals(1, Backfill.of(uri, "area").concurrency(2).explain().fragmentsSplit());
    Backfill.of(uri, "area").concurrency(2).run(); // no rate known yet: split as before
    LanceTestTables.append(uri, 200_000, 1, 16_384);

    BackfillExplanation plan = Backfill.of(uri, "area").concurrency(2).explain();
    BackfillResult result = Backfill.of(uri, "area").concurrency(2).run();

    assertEquals(0, plan.fragmentsSplit(), "a fraction of a second of work is not cut");
    assertEquals(1, plan.tasks());
    assertEquals(16_384, result.rowsComputed());
    assertEquals(1, result.fragmentsCommitted());
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    assertNothingLeft(uri);
  }

  @Test
  void anExpensiveUdfsAppendedFragmentIsStillSplitOnceItsSpeedIsKnown() throws IOException {
    String uri = table("expensive", 2_048, Overlapping.class, List.of("x", "y"));
    Backfill.of(uri, "area").concurrency(2).run();
    LanceTestTables.append(uri, 2_048, 1, 4_096);
    Overlapping.reset();

    BackfillExplanation plan = Backfill.of(uri, "area").concurrency(2).explain();
    BackfillResult result = Backfill.of(uri, "area").concurrency(2).run();

    assertEquals(1, plan.fragmentsSplit(), "at 1 ms a row, 4,096 rows are worth cutting");
    assertEquals(4_096, result.rowsComputed());
    assertEquals(4_096, Overlapping.CALLS.get());
    assertTrue(Overlapping.MOST_AT_ONCE.get() >= 2, "both workers computed the new fragment");
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    assertNothingLeft(uri);
  }

  @Test
  void aFilterAndAnIncrementalRerunHoldAcrossRanges() throws IOException {
    String uri = table("filtered", 3_000, Overlapping.class, List.of("x", "y"));
    Overlapping.reset();

    BackfillResult evens =
        Backfill.of(uri, "area").where("id % 2 = 0").taskSize(700).concurrency(3).run();
    assertEquals(1_500, evens.rowsComputed());
    assertEquals(1_500, Overlapping.CALLS.get());
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "x", "y", "area"))) {
      long id = ((Number) row.get("id")).longValue();
      Object area = row.get("area");
      if (id % 2 == 0) {
        assertEquals(
            (long) ((Number) row.get("x")).intValue() * ((Number) row.get("y")).intValue(),
            ((Number) area).longValue());
      } else {
        assertEquals(null, area, "outside the filter, row " + id);
      }
    }

    Overlapping.reset();
    BackfillResult rest = Backfill.of(uri, "area").taskSize(700).concurrency(3).run();
    assertEquals(1_500, rest.rowsComputed(), "only the rows the filter left out");
    assertEquals(1_500, Overlapping.CALLS.get());
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    assertNothingLeft(uri);
  }

  @Test
  void eachFragmentIsAssembledAndCommittedWhileTheRangesOfFragmentsPlannedLaterStillWait()
      throws IOException {
    String uri = LanceTestTables.create(dir, "four", 4, 2_000);
    VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(Overlapping.class, Map.of(), List.of("x", "y")));
    List<BackfillProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    BackfillResult result =
        Backfill.of(uri, "area")
            .taskSize(1_000)
            .concurrency(1)
            .commitGranularity(1)
            .onProgress(seen::add)
            .run();

    assertEquals(8_000, result.rowsComputed());
    assertEquals(4, result.fragmentsCommitted());
    assertEquals(4, result.commits(), "a commit per fragment, each as it was assembled");
    // One worker: fragment k's assembly comes after the next fragment's ranges, before the rest.
    for (int done = 1; done <= 3; done++) {
      long rows = 2_000L * (done + 1);
      int fragments = done;
      assertTrue(
          seen.stream().anyMatch(p -> p.fragmentsDone() == fragments && p.rowsDone() == rows),
          fragments + " fragment(s) committed at " + rows + " rows: " + seen);
    }
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    assertNothingLeft(uri);
  }

  @Test
  void aFilteredRerunOfASplitFragmentComputesNothingAndMakesNoVersion() throws IOException {
    String uri = table("rerun", 3_000, Overlapping.class, List.of("x", "y"));
    Backfill.of(uri, "area").where("id % 2 = 0").taskSize(700).concurrency(3).run();
    assertNothingLeft(uri); // and the first run's merged parts are gone
    long version = LanceTestReads.version(uri);
    Set<String> files = TableFiles.onDisk(uri);

    for (int run = 0; run < 3; run++) {
      Overlapping.reset();
      BackfillResult again =
          Backfill.of(uri, "area").where("id % 2 = 0").taskSize(700).concurrency(3).run();
      assertEquals(0, again.rowsComputed());
      assertEquals(0, again.fragmentsCommitted());
      assertEquals(0, again.commits());
      assertEquals(0, Overlapping.CALLS.get());
      assertEquals(version, LanceTestReads.version(uri), "no version, run " + run);
      assertEquals(files, TableFiles.onDisk(uri), "no file written, run " + run);
    }
    assertNothingLeft(uri);
  }

  @Test
  void rangesWithNothingToComputeCopyTheirValuesWhenAnotherRangeOfTheirFragmentChanged()
      throws IOException {
    String uri = table("sparse", 3_000, Overlapping.class, List.of("x", "y"));
    Overlapping.reset();

    // Only the first of the fragment's 5 ranges has rows to compute, then only the last.
    BackfillResult head = Backfill.of(uri, "area").where("id < 100").taskSize(600).run();
    BackfillResult tail = Backfill.of(uri, "area").where("id >= 2950").taskSize(600).run();

    assertEquals(100, head.rowsComputed());
    assertEquals(50, tail.rowsComputed());
    assertEquals(150, Overlapping.CALLS.get());
    assertEquals(1, tail.fragmentsCommitted());
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "x", "y", "area"))) {
      long id = ((Number) row.get("id")).longValue();
      Object area = row.get("area");
      if (id < 100 || id >= 2950) {
        assertEquals(
            (long) ((Number) row.get("x")).intValue() * ((Number) row.get("y")).intValue(),
            ((Number) area).longValue(),
            "row " + id);
      } else {
        assertEquals(null, area, "outside both filters, row " + id);
      }
    }
    assertNothingLeft(uri);

    Overlapping.reset();
    BackfillResult rest = Backfill.of(uri, "area").taskSize(600).run();
    assertEquals(2_850, rest.rowsComputed(), "only the rows both filters left out");
    assertEquals(2_850, Overlapping.CALLS.get());
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    assertNothingLeft(uri);
  }

  @Test
  void aMillionRowFragmentOfACheapUdfIsSplitAndHoldsBatchesNotTheColumn() throws Exception {
    String uri = table("million", 1_000_000, Wide32.class, List.of("id"));
    Wide32.THREADS.clear();
    long[] most = {0};
    boolean[] done = {false};
    Thread sampler =
        new Thread(
            () -> {
              while (!done[0]) {
                most[0] = Math.max(most[0], Allocators.root().getAllocatedMemory());
                Thread.onSpinWait();
              }
            });
    sampler.start();
    BackfillResult result;
    try {
      result = Backfill.of(uri, "area").batchSize(4096).concurrency(2).run();
    } finally {
      done[0] = true;
      sampler.join();
    }

    assertEquals(1_000_000, result.rowsComputed());
    assertEquals(1, result.fragmentsCommitted());
    assertTrue(Wide32.THREADS.size() >= 2, "ranges on both workers: " + Wide32.THREADS);
    // The column is 128 MB (1M x 32 floats); a batch is 512 KB.
    assertTrue(most[0] < 16L << 20, "Arrow memory at most " + (most[0] >> 20) + " MB");
    int checked = 0;
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      if (checked++ % 99_991 != 0) {
        continue;
      }
      long id = ((Number) row.get("id")).longValue();
      List<?> v = (List<?>) row.get("area");
      assertEquals(32, v.size());
      assertEquals((float) (id + 31), ((Number) v.get(31)).floatValue(), 0.5f, "row " + id);
    }
    assertNothingLeft(uri);
  }

  @Test
  void aRunKilledWhileRangesComputeResumesEachRangeFromItsParts() throws Exception {
    String uri = table("killed", 400, SlowArea.class, List.of("id", "x", "y"));
    Path calls = dir.resolve("calls.txt");
    long before = killedAfter(uri, calls, 4, 120);
    long rangesWithParts;
    try (var files = Files.list(Path.of(InternalPaths.checkpointsOf(uri, "area")))) {
      rangesWithParts =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.startsWith("part-") && n.contains("@"))
              .map(n -> n.substring(n.indexOf('@') + 1, n.lastIndexOf('-')))
              .distinct()
              .count();
    }
    assertTrue(rangesWithParts >= 2, "ranges checkpointed at once: " + rangesWithParts);
    try (var data = Files.list(Path.of(uri, "data"))) {
      assertTrue(
          data.anyMatch(f -> f.getFileName().toString().endsWith(".arrows")),
          "a local table's range parts are Arrow parts (written past the page cache)");
    }

    System.setProperty("lancet.test.calls", calls.toString());
    BackfillResult resumed =
        Backfill.of(uri, "area").batchSize(5).taskSize(100).concurrency(4).run();

    assertEquals(400, resumed.rowsComputed() + resumed.rowsSkipped(), resumed.toString());
    // Each of the 4 ranges loses at most its batch in flight.
    assertTrue(
        resumed.rowsSkipped() >= before - 4 * 5,
        "checkpointed rows were reused: " + resumed + ", " + before + " calls before the kill");
    assertTrue(lines(calls) <= 400 + 4 * 5, "at most the batches in flight again: " + lines(calls));
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    assertEquals(1, resumed.fragmentsCommitted());
    assertNothingLeft(uri, 4); // the 4 ranges the killed run was writing
  }

  @Test
  void aRunKilledAfterAFragmentWasAssembledWhileTheNextOnesRangesComputeResumesWithEachRowOnce()
      throws Exception {
    String uri = LanceTestTables.create(dir, "three", 3, 200);
    VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(SlowArea.class, Map.of(), List.of("id", "x", "y")));
    Set<String> inputs = TableFiles.onDisk(uri);
    Path calls = dir.resolve("calls.txt");
    // Fragment 0 is assembled before fragment 2's ranges start: past 450 rows it is done.
    long before = killedAfter(uri, calls, 2, 450);
    Set<String> written = TableFiles.onDisk(uri);
    written.removeAll(inputs);
    assertTrue(
        written.stream().anyMatch(f -> f.endsWith(".lance")),
        "a fragment was assembled into its column file before the kill: " + written);

    System.setProperty("lancet.test.calls", calls.toString());
    BackfillResult resumed =
        Backfill.of(uri, "area").batchSize(5).taskSize(100).concurrency(2).run();

    assertEquals(600, resumed.rowsComputed() + resumed.rowsSkipped(), resumed.toString());
    assertTrue(
        resumed.rowsSkipped() >= before - 2 * 5,
        "assembled and checkpointed rows were reused: " + resumed + ", " + before + " before");
    assertTrue(lines(calls) <= 600 + 2 * 5, "at most the batches in flight again: " + lines(calls));
    assertEquals(3, resumed.fragmentsCommitted());
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    assertNothingLeft(uri, 2); // the parts the killed run's two workers were writing
  }

  /**
   * Runs a backfill of {@code uri}'s area in a child JVM (ranges of 100 rows, batches of 5, {@code
   * workers} workers, each call a line of {@code calls}), kills it with -9 once {@code rows} rows
   * were computed, and returns the rows computed by then.
   */
  private long killedAfter(String uri, Path calls, int workers, long rows) throws Exception {
    Process child =
        dev.lancet.testing.ChildJvms.start(
            BackfillMain.class,
            List.of(
                "-Dlancet.test.calls=" + calls,
                "-Dlancet.test.concurrency=" + workers,
                "-Dlancet.test.task-size=100"),
            List.of(uri, "area", "5"),
            dir.resolve("child.log"));
    dev.lancet.testing.ChildJvms.killWhen(
        child, dir.resolve("child.log"), rows + " rows", () -> lines(calls) >= rows);
    return lines(calls);
  }

  private static long lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }
}
