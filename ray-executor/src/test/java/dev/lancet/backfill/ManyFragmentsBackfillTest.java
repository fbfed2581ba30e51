package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.LanceWrites;
import dev.lancet.testing.TableFiles;
import dev.lancet.testing.udfs.Counting;
import dev.lancet.udf.UdfInspector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables of many small fragments: they are computed in groups sharing one scan, committed in about
 * 20 commits whatever their number, and a group that fails midway keeps what it finished.
 */
class ManyFragmentsBackfillTest {
  @TempDir Path dir;

  @AfterEach
  void reset() {
    Counting.failFrom = Integer.MAX_VALUE;
    Counting.HOOK.set(null);
  }

  /** A table of {@code fragments} fragments of {@code rows} rows, with the counting area column. */
  private String table(int fragments, int rows) {
    Counting.CALLS.set(0);
    int first = Math.min(fragments, 100);
    String uri = LanceTestTables.create(dir, "t", first, rows);
    for (int done = first; done < fragments; done += 100) {
      LanceTestTables.append(uri, done * rows, Math.min(100, fragments - done), rows);
    }
    VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(Counting.Area.class, Map.of(), List.of("id", "x", "y")));
    return uri;
  }

  private static void assertAreas(String uri, IntPredicate computed) {
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      Long want = computed.test(id) ? (long) LanceTestTables.x(id) * LanceTestTables.y(id) : null;
      assertEquals(want, row.get("area"), "area of id " + id);
    }
  }

  @Test
  void fourHundredSmallFragmentsTakeSevenCommitsAndARerunCommitsNothing() {
    String uri = table(400, 5);
    long before = LanceTestReads.version(uri);

    BackfillResult result = Backfill.of(uri, "area").run();

    assertEquals(2000, result.rowsComputed());
    assertEquals(2000, Counting.CALLS.get(), "each row computed once");
    assertEquals(400, result.fragmentsCommitted());
    assertEquals(7, result.commits(), "max(64, 400 / 20) = 64 fragments a commit: 7 commits");
    assertEquals(before + 7, LanceTestReads.version(uri));
    assertAreas(uri, id -> true);

    BackfillResult again = Backfill.of(uri, "area").run();
    assertEquals(0, again.commits());
    assertEquals(0, again.rowsComputed());
    assertEquals(2000, Counting.CALLS.get());
    assertEquals(before + 7, LanceTestReads.version(uri));
  }

  @Test
  void aFilteredPassOverManyFragmentsWithDeletionsComputesExactlyTheMatchingLiveRows() {
    String uri = table(200, 5); // ids 0..999
    LanceWrites.delete(uri, "id % 7 = 3");
    IntPredicate live = id -> id % 7 != 3;

    BackfillResult half = Backfill.of(uri, "area").where("id < 500").run();

    long matching = java.util.stream.IntStream.range(0, 500).filter(live).count();
    assertEquals(matching, half.rowsComputed());
    assertEquals(matching, Counting.CALLS.get());
    assertEquals(100, half.fragmentsCommitted(), "fragments without a matching row get no file");
    assertAreas(uri, id -> id < 500);

    BackfillResult rest = Backfill.of(uri, "area").run();
    long all = java.util.stream.IntStream.range(0, 1000).filter(live).count();
    assertEquals(all - matching, rest.rowsComputed(), "only the rows outside the first filter");
    assertEquals(all, Counting.CALLS.get());
    assertAreas(uri, id -> true);
  }

  @Test
  void aGroupFailingMidwayKeepsTheFragmentsItFinishedForTheRerun() {
    String uri = table(100, 5); // one worker: 4 groups of 25 fragments
    long before = LanceTestReads.version(uri);
    Counting.failFrom = 60; // fragment 12, in the first group

    assertThrows(BackfillException.class, () -> Backfill.of(uri, "area").concurrency(1).run());
    assertEquals(before, LanceTestReads.version(uri), "nothing committed");
    assertEquals(61, Counting.CALLS.get(), "fragments 0 to 11 and the failing row");

    Counting.failFrom = Integer.MAX_VALUE;
    BackfillResult rerun = Backfill.of(uri, "area").concurrency(1).run();

    assertEquals(
        61 + 440, Counting.CALLS.get(), "the rerun computes from fragment 12 on, nothing twice");
    assertEquals(440, rerun.rowsComputed());
    assertEquals(60, rerun.rowsSkipped());
    assertAreas(uri, id -> true);
    assertTrue(
        TableFiles.orphans(uri).isEmpty(),
        "every file written is committed: " + TableFiles.orphans(uri));
  }
}
