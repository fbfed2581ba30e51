package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.store.JobRecords;
import dev.lancet.lance.TableLocation;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.Counting;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Backfill.explain()} and the rows by state, without Spark: the explanation records and
 * computes nothing, and the rows it counts are the rows the run then computes.
 */
class ExplainBackfillTest {
  @TempDir Path dir;
  private String uri;

  @BeforeEach
  void table() {
    uri = LanceTestTables.withCountingArea(dir); // ids 0..29 in 3 fragments of 10
  }

  @AfterEach
  void reset() {
    Counting.failFrom = Integer.MAX_VALUE;
  }

  private RowFreshness freshness() {
    return VirtualColumns.status(uri, Map.of(), getClass().getClassLoader()).get(0).freshness();
  }

  @Test
  void anExplanationRecordsNothingAndTheRunComputesTheRowsItCounts() {
    long version = LanceTestReads.version(uri);
    BackfillExplanation before = Backfill.of(uri, "area").where("id < 15").explain();
    assertEquals(15, before.rowsToCompute());
    assertEquals(15, before.rows().rows(RowState.NEW));
    assertEquals(2, before.fragments());
    assertNull(before.estimatedSeconds());
    assertEquals(0, Counting.CALLS.get());
    assertEquals(version, LanceTestReads.version(uri));
    assertTrue(JobRecords.list(new TableLocation(uri, Map.of())).isEmpty());

    assertEquals(15, Backfill.of(uri, "area").where("id < 15").run().rowsComputed());
    assertEquals(15, Counting.CALLS.get());
    // 15..19 share a fragment with computed rows: left out by the filter; 20..29 have no file.
    BackfillExplanation rest = Backfill.of(uri, "area").explain();
    assertEquals(5, rest.rows().rows(RowState.FILTERED_OUT));
    assertEquals(10, rest.rows().rows(RowState.NEW));
    assertEquals(5, rest.rows().current(), "the current rows of the fragments to compute");
    assertEquals(1, rest.fragmentsCurrent());
    assertTrue(rest.estimatedSeconds() >= 0);
    assertEquals(15, freshness().current());
    assertEquals(15, freshness().neverComputed());
  }

  @Test
  void failedRowsAreCountedAsFailedUntilTheyAreComputed() {
    Counting.failFrom = 25;
    Backfill.of(uri, "area").onError("null").maxErrorFraction(1).run();
    Counting.failFrom = Integer.MAX_VALUE;
    assertEquals(5, freshness().rows(RowState.FAILED));
    assertEquals(25, freshness().current());
    BackfillExplanation retry = Backfill.of(uri, "area").explain();
    assertEquals(5, retry.rows().rows(RowState.FAILED));
    assertEquals(5, retry.rowsToCompute());
    Counting.CALLS.set(0);
    assertEquals(5, Backfill.of(uri, "area").run().rowsComputed());
    assertEquals(5, Counting.CALLS.get());
    assertEquals(30, freshness().current());
  }

  @Test
  void aFragmentLargerThanTheTaskSizeIsExplainedAsItsRangesAndTheirAssembly() {
    BackfillExplanation split = Backfill.of(uri, "area").taskSize(4).concurrency(3).explain();
    assertEquals(3, split.fragments());
    assertEquals(3, split.fragmentsSplit());
    assertEquals(9, split.tasks(), "three ranges of at most 4 rows per 10-row fragment");
    assertEquals(3, split.workers());
    assertTrue(split.describe().contains("3 fragment(s) split into row ranges"), split.describe());
  }
}
