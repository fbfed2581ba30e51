package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.store.JobRecords;
import dev.lancet.lance.TableLocation;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.Counting;
import dev.lancet.udf.LancetException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pilot runs ({@code limit}): at most n rows computed and committed, never computed again by the
 * full run; the job record keeps the limit, the rate and the tasks' peak memory.
 */
class PilotBackfillTest {
  @TempDir Path dir;
  private String uri;

  @BeforeEach
  void table() {
    uri = LanceTestTables.withCountingArea(dir); // ids 0..29 in 3 fragments of 10
  }

  /** The ids whose area holds a value, checked against x * y. */
  private Set<Integer> computedIds() {
    Set<Integer> ids = new TreeSet<>();
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      if (row.get("area") != null) {
        assertEquals((long) LanceTestTables.x(id) * LanceTestTables.y(id), row.get("area"));
        ids.add(id);
      }
    }
    return ids;
  }

  private BackfillJob lastJob() {
    List<BackfillJob> jobs = JobRecords.list(new TableLocation(uri, Map.of()));
    return jobs.get(jobs.size() - 1);
  }

  @Test
  void aPilotComputesAtMostItsLimitAndTheFullRunTheRestOnly() {
    long version = LanceTestReads.version(uri);
    BackfillResult pilot = Backfill.of(uri, "area").limit(15).run();
    assertEquals(15, pilot.rowsComputed());
    assertEquals(0, pilot.rowsSkipped());
    assertEquals(15, Counting.CALLS.get());
    assertEquals(15, computedIds().size());
    assertTrue(LanceTestReads.version(uri) > version);
    BackfillJob job = lastJob();
    assertEquals(15, job.limit());
    assertTrue(job.rowsPerSecond() > 0);
    assertTrue(job.peakTaskMemoryBytes() > 0, "the tasks' memory is recorded");

    BackfillExplanation next = Backfill.of(uri, "area").explain();
    assertEquals(15, next.rowsToCompute());
    assertTrue(next.describe().contains("memory: up to "), next.describe());

    Counting.CALLS.set(0);
    BackfillResult full = Backfill.of(uri, "area").run();
    assertEquals(15, full.rowsComputed(), "the pilot's rows are not computed again");
    assertEquals(15, full.rowsSkipped());
    assertEquals(15, Counting.CALLS.get());
    assertEquals(30, computedIds().size());
    assertEquals(0, lastJob().limit());
  }

  @Test
  void theSamePilotThreeTimesComputesTheNextRowsEachTime() {
    for (int run = 1; run <= 3; run++) {
      Counting.CALLS.set(0);
      assertEquals(4, Backfill.of(uri, "area").limit(4).run().rowsComputed());
      assertEquals(4, Counting.CALLS.get());
      assertEquals(4 * run, computedIds().size());
    }
    assertEquals(
        4, Backfill.of(uri, "area").limit(4).explain().rowsToCompute(), "explain with LIMIT");
  }

  @Test
  void aPilotTakesItsRowsAmongThoseTheFilterSelects() {
    assertEquals(3, Backfill.of(uri, "area").where("id >= 20").limit(3).run().rowsComputed());
    Set<Integer> ids = computedIds();
    assertEquals(3, ids.size());
    assertTrue(ids.stream().allMatch(id -> id >= 20), ids.toString());
    // A limit beyond the rows left computes them all.
    assertEquals(7, Backfill.of(uri, "area").where("id >= 20").limit(100).run().rowsComputed());
    assertEquals(0, Backfill.of(uri, "area").where("id >= 20").limit(100).run().rowsComputed());
  }

  @Test
  void aLimitThatIsNotPositiveIsRefused() {
    LancetException e =
        assertThrows(LancetException.class, () -> Backfill.of(uri, "area").limit(0));
    assertTrue(e.getMessage().contains("LIMIT must be a positive number of rows"), e.getMessage());
  }
}
