package dev.lancet.backfill.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.Counting;
import dev.lancet.udf.UdfInspector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several columns backfilled together ({@link Backfill#runTogether}): one scan for the rows they
 * compute alike, each column computing only its own missing or stale rows, each its own job and
 * commits.
 */
class FusedBackfillTest {
  @TempDir Path dir;
  private String uri;

  @BeforeEach
  void table() {
    uri = withTwoColumns("t");
    Counting.NAME_CALLS.set(0);
  }

  @AfterEach
  void reset() {
    Counting.failFrom = Integer.MAX_VALUE;
  }

  /** 3 fragments of 10 rows, with {@code area} (id, x, y) and {@code name_len} (name). */
  private String withTwoColumns(String name) {
    String at = LanceTestTables.withCountingArea(dir.resolve(name));
    VirtualColumns.add(
        at,
        Map.of(),
        "name_len",
        UdfInspector.inspect(Counting.NameSize.class, Map.of(), List.of("name")));
    return at;
  }

  private List<BackfillResult> together(String at) {
    return Backfill.runTogether(
        List.of(
            Backfill.of(at, "area").concurrency(2), Backfill.of(at, "name_len").concurrency(2)));
  }

  private void assertValues(String at) {
    LanceTestReads.assertEveryAreaIsXTimesY(at);
    for (Map<String, Object> row : LanceTestReads.rows(at, List.of("name", "name_len"))) {
      assertEquals(((String) row.get("name")).length(), row.get("name_len"), row.toString());
    }
  }

  @Test
  void columnsBackfilledTogetherReadEachRowOnceAndComputeEachColumnOnce() {
    String alone = withTwoColumns("alone");
    long before = GroupScan.OPENED.get();
    Backfill.of(alone, "area").concurrency(2).run();
    long scansOfOneColumn = GroupScan.OPENED.get() - before;
    Counting.CALLS.set(0);
    long version = LanceTestReads.version(uri);

    before = GroupScan.OPENED.get();
    List<BackfillResult> results = together(uri);

    assertEquals(scansOfOneColumn, GroupScan.OPENED.get() - before, "one scan for both columns");
    assertEquals(30, results.get(0).rowsComputed());
    assertEquals(30, results.get(1).rowsComputed());
    assertEquals(30, Counting.CALLS.get(), "area: one call per row");
    assertEquals(30, Counting.NAME_CALLS.get(), "name_len: one call per row");
    assertEquals(
        version + results.get(0).commits() + results.get(1).commits(),
        LanceTestReads.version(uri),
        "each column's own commits");
    assertValues(uri);
  }

  @Test
  void anotherWritersAppendDuringColumnsBackfilledTogetherIsComputedByANextRound() {
    // The columns' commits to the same table are not another writer's; an append is.
    Counting.HOOK.set(() -> LanceTestTables.append(uri, 30, 1, 5));
    List<BackfillResult> results = together(uri);
    assertEquals(35, results.get(0).rowsComputed(), "area: the 5 appended rows in a next round");
    assertEquals(35, LanceTestReads.rows(uri, List.of("id")).size());
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    Counting.CALLS.set(0);
    assertEquals(0, Backfill.of(uri, "area").run().rowsComputed());
    assertEquals(0, Counting.CALLS.get());
  }

  @Test
  void eachColumnComputesOnlyItsOwnStaleRowsAndTheSameRunAgainChangesNothing() {
    Backfill.of(uri, "area").run();
    LanceTestTables.append(uri, 30, 1, 5);
    Counting.CALLS.set(0);

    List<BackfillResult> first = together(uri); // area: 5 new rows; name_len: all 35

    assertEquals(5, first.get(0).rowsComputed());
    assertEquals(35, first.get(1).rowsComputed());
    assertEquals(5, Counting.CALLS.get());
    assertEquals(35, Counting.NAME_CALLS.get());
    assertValues(uri);

    // A new version of area: all its rows are stale, none of name_len's.
    VirtualColumns.replace(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(Counting.Area.class, Map.of("note", "v2"), List.of("id", "x", "y")));
    Counting.CALLS.set(0);
    Counting.NAME_CALLS.set(0);
    List<BackfillResult> second = together(uri);
    assertEquals(35, second.get(0).rowsComputed());
    assertEquals(0, second.get(1).rowsComputed());
    assertEquals(35, Counting.CALLS.get());
    assertEquals(0, Counting.NAME_CALLS.get());

    long version = LanceTestReads.version(uri);
    for (int run = 0; run < 3; run++) {
      List<BackfillResult> again = together(uri);
      assertEquals(0, again.get(0).rowsComputed() + again.get(1).rowsComputed());
      assertEquals(0, again.get(0).commits() + again.get(1).commits());
    }
    assertEquals(version, LanceTestReads.version(uri), "nothing to do: no new version");
    assertEquals(35, Counting.CALLS.get());
    assertEquals(0, Counting.NAME_CALLS.get());
    assertValues(uri);
  }

  @Test
  void sevenColumnsTogetherComputeEachRowOnceEveryTime() {
    for (int table = 0; table < 5; table++) {
      String at = LanceTestTables.withCountingArea(dir.resolve("seven" + table));
      List<Backfill> backfills = new java.util.ArrayList<>();
      for (int c = 0; c < 7; c++) {
        String column = c == 0 ? "area" : "area" + c;
        if (c > 0) {
          VirtualColumns.add(
              at,
              Map.of(),
              column,
              UdfInspector.inspect(
                  Counting.Area.class, Map.of("note", "n" + c), List.of("id", "x", "y")));
        }
        backfills.add(Backfill.of(at, column).concurrency(2));
      }
      Counting.CALLS.set(0);
      List<BackfillResult> results = Backfill.runTogether(backfills);
      for (BackfillResult r : results) {
        assertEquals(30, r.rowsComputed(), "table " + table + ": " + r);
      }
      assertEquals(210, Counting.CALLS.get(), "table " + table);
    }
  }

  @Test
  void columnsOfOneSpecComputedTogetherEachGetTheirOwnUdfInstance() {
    VirtualColumns.add(
        uri,
        Map.of(),
        "name_len2",
        UdfInspector.inspect(Counting.NameSize.class, Map.of(), List.of("name")));

    List<BackfillResult> results =
        Backfill.runTogether(List.of(Backfill.of(uri, "name_len"), Backfill.of(uri, "name_len2")));

    assertEquals(30, results.get(0).rowsComputed());
    assertEquals(30, results.get(1).rowsComputed());
    assertEquals(60, Counting.NAME_CALLS.get());
    for (Map<String, Object> row :
        LanceTestReads.rows(uri, List.of("name", "name_len", "name_len2"))) {
      int expected = ((String) row.get("name")).length();
      assertEquals(expected, row.get("name_len"), row.toString());
      assertEquals(expected, row.get("name_len2"), row.toString());
    }
  }

  /** An engine whose workers cannot start: its open fails. */
  private static final class NoWorkers implements dev.lancet.backfill.engine.WorkerEngine {
    @Override
    public String name() {
      return "no-workers";
    }

    @Override
    public void start() {}

    @Override
    public boolean inDriverJvm() {
      return true;
    }

    @Override
    public String workerCodeUri() {
      return null;
    }

    @Override
    public dev.lancet.backfill.engine.Workers open(
        int size, dev.lancet.udf.UdfResources resources, String udfVersion, ClassLoader loader) {
      throw new dev.lancet.udf.LancetException(
          dev.lancet.udf.ErrorCode.LANCET_ENVIRONMENT_MISMATCH, "no workers here");
    }

    @Override
    public void shutdown() {}
  }

  /** The error of backfilling {@code columns} together, which must fail. */
  private static BackfillException failsTogether(Backfill... columns) {
    return assertThrows(BackfillException.class, () -> Backfill.runTogether(List.of(columns)));
  }

  @Test
  void whenTheSharedWorkersCannotStartEveryColumnFailsAndNothingIsCommitted() {
    NoWorkers engine = new NoWorkers();
    long version = LanceTestReads.version(uri);

    BackfillException e =
        failsTogether(
            Backfill.of(uri, "area").engine(engine), Backfill.of(uri, "name_len").engine(engine));

    assertTrue(e.getMessage().contains("no workers here"), e.getMessage());
    assertEquals(version, LanceTestReads.version(uri));
    assertEquals(0, Counting.CALLS.get() + Counting.NAME_CALLS.get());
    // Each column's job failed: none took "no results" for success.
    assertEquals(
        java.util.Set.of("area FAILED", "name_len FAILED"),
        dev.lancet.backfill.BackfillJobs.list(uri, Map.of()).stream()
            .map(j -> j.column() + " " + j.status())
            .collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void aFailingColumnFailsTheRunNamingItAndTheOtherColumnsWorkIsKeptForTheRerun() {
    Counting.failFrom = 25; // area fails in the third fragment
    long version = LanceTestReads.version(uri);

    BackfillException e =
        failsTogether(
            Backfill.of(uri, "area").concurrency(1).commitGranularity(10),
            Backfill.of(uri, "name_len").concurrency(1).commitGranularity(10));
    assertTrue(e.getMessage().startsWith("column 'area': "), e.getMessage());
    assertTrue(e.getMessage().contains("failing on purpose at id 25"), e.getMessage());
    assertEquals(version, LanceTestReads.version(uri), "nothing committed");

    Counting.failFrom = Integer.MAX_VALUE;
    Counting.CALLS.set(0);
    together(uri);
    assertEquals(30, Counting.NAME_CALLS.get(), "name_len computed each row once in all");
    assertValues(uri);
  }
}
