package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.Counting;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.compaction.CompactionOptions;

/**
 * A backfill computes exactly the rows whose value is missing or stale: proved by counting UDF
 * calls and reading table versions, for every change a table can go through between runs. Each case
 * also runs the same backfill once more and checks it computes and commits nothing.
 */
class ExactRecomputeTest {
  @TempDir Path dir;
  private String uri;

  @BeforeEach
  void table() {
    uri = LanceTestTables.withCountingArea(dir);
  }

  @AfterEach
  void reset() {
    Counting.failFrom = Integer.MAX_VALUE;
  }

  private BackfillResult backfill(String where) {
    return Backfill.of(uri, "area").where(where).batchSize(4).run();
  }

  /** Runs {@code where} and asserts it computed {@code rows} rows (UDF calls too); returns it. */
  private BackfillResult computes(long rows, String where) {
    Counting.CALLS.set(0);
    BackfillResult r = backfill(where);
    assertEquals(rows, r.rowsComputed(), "rows computed: " + r);
    assertEquals(rows, Counting.CALLS.get(), "UDF calls");
    return r;
  }

  /** The same backfill again computes nothing and leaves the table version as it is. */
  private void settled(String where) {
    long version = LanceTestReads.version(uri);
    Counting.CALLS.set(0);
    BackfillResult again = backfill(where);
    assertEquals(0, again.rowsComputed(), "an identical rerun computes nothing: " + again);
    assertEquals(0, Counting.CALLS.get());
    assertEquals(0, again.commits(), "and commits nothing");
    assertEquals(version, LanceTestReads.version(uri), "no new table version");
    assertEquals(version, again.tableVersion());
  }

  private void assertAreas(IntPredicate computed) {
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      Object expected =
          computed.test(id) ? (long) LanceTestTables.x(id) * LanceTestTables.y(id) : null;
      assertEquals(expected, row.get("area"), "area of id " + id);
    }
  }

  private void withDataset(java.util.function.Consumer<Dataset> change) {
    try (RootAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      change.accept(ds);
    }
  }

  @Test
  void aRerunAfterAnAppendComputesTheAppendedRowsOnlyThenNothing() {
    computes(30, null);
    settled(null);
    LanceTestTables.append(uri, 30, 2, 5);

    computes(10, null);
    settled(null);
    settled(null);
    assertAreas(id -> true);
  }

  @Test
  void aRerunAfterADeleteComputesNothing() {
    computes(30, null);
    withDataset(ds -> ds.delete("id = 3 OR id = 14 OR id = 29"));

    settled(null);
    assertEquals(27, LanceTestReads.rows(uri, List.of("id")).size());
    assertAreas(id -> true);
  }

  @Test
  void aRowComputedUnderOneFilterIsDoneForEveryOtherFilter() {
    computes(11, "starts_with(name, 'file-1')"); // file-1, file-10 .. file-19
    computes(0, "name = 'file-12'");
    computes(1, "id = 12 OR id = 20"); // 12 is done, 20 is not
    settled("id = 12 OR id = 20");
    computes(30 - 12, "area is null");
    settled(null);
    assertAreas(id -> true);
  }

  @Test
  void rowsOutsideAFilterKeepTheirValuesWhenOthersOfTheirFragmentAreComputed() {
    computes(5, "id < 5");
    computes(3, "id >= 5 AND id < 8");
    assertAreas(id -> id < 8);
    computes(22, null);
    assertAreas(id -> true);
  }

  @Test
  void aNewUdfVersionRecomputesEveryRowOnce() {
    computes(30, null);
    VirtualColumns.replace(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(Counting.Area.class, Map.of("note", "v2"), List.of("id", "x", "y")));

    computes(30, null);
    settled(null);
  }

  @Test
  void howTheUdfRunsIsNotANewVersion() {
    computes(30, null);
    VirtualColumns.replace(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(
            Counting.Area.class,
            UdfRegistration.of(
                List.of("id", "x", "y"),
                null,
                Map.of("batch_size", "3", "num_cpus", "2", "on_error", "null"))));
    settled(null);
  }

  @Test
  void aCompactionThatOnlyMovedCurrentValuesComputesNothing() {
    computes(30, null);
    withDataset(
        ds -> {
          ds.delete("id = 4");
          ds.compact(
              CompactionOptions.builder()
                  .withTargetRowsPerFragment(100)
                  .withMaterializeDeletions(true)
                  .build());
        });
    withDataset(ds -> assertEquals(1, ds.getFragments().size(), "compacted into one fragment"));

    settled(null);
    assertAreas(id -> true);
  }

  @Test
  void aCompactionOfRowsNotAllCurrentRecomputesOnlyTheCompactedRowsNotCurrent() {
    computes(10, "id < 10");
    withDataset(
        ds -> ds.compact(CompactionOptions.builder().withTargetRowsPerFragment(100).build()));

    // The old fragments were current for 10 rows only: those stay current where the compaction
    // moved them (same inputs, same value), the other 20 are computed.
    computes(20, null);
    settled(null);
    assertAreas(id -> true);
  }

  @Test
  void failedRowsAreNotCurrentAndOnlyTheyAreComputedAgain() {
    Counting.failFrom = 27; // ids 27..29 throw
    BackfillResult first = Backfill.of(uri, "area").onError("null").maxErrorFraction(0.5).run();
    assertEquals(3, first.rowsFailed());
    Counting.failFrom = Integer.MAX_VALUE;

    computes(3, null);
    settled(null);
    assertAreas(id -> true);
  }

  @Test
  void aFragmentWhoseEveryComputedRowFailedIsNotCurrent() {
    Counting.failFrom = 20; // the whole last fragment throws
    BackfillResult first = Backfill.of(uri, "area").onError("null").maxErrorFraction(0.5).run();
    assertEquals(10, first.rowsFailed());
    Counting.failFrom = Integer.MAX_VALUE;

    computes(10, null);
    settled(null);
    assertAreas(id -> true);
  }

  @Test
  void aPerRunErrorPolicyOverridesTheColumns() {
    Counting.failFrom = 25;
    assertThrows(
        BackfillException.class,
        () -> Backfill.of(uri, "area").run(),
        "the column fails on errors");
    BackfillResult r = Backfill.of(uri, "area").onError("null").maxErrorFraction(0.5).run();
    assertEquals(5, r.rowsFailed());
    // The 5 rows fail again, reported but not judged again; 10 new rows that fail are judged.
    BackfillResult again = Backfill.of(uri, "area").onError("null").maxErrorFraction(0.1).run();
    assertEquals(5, again.rowsFailed());
    LanceTestTables.append(uri, 30, 1, 10);
    BackfillException tooMany =
        assertThrows(
            BackfillException.class,
            () -> Backfill.of(uri, "area").onError("null").maxErrorFraction(0.1).run());
    assertEquals(
        true,
        tooMany.getMessage().contains("more than max_error_fraction 0.1"),
        tooMany.getMessage());
  }

  @Test
  void aFragmentWithEveryRowDeletedIsNotComputed() {
    withDataset(ds -> ds.delete("id < 10"));
    computes(20, null);
    settled(null);
    assertAreas(id -> true);
  }
}
