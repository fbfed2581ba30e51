package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.commit.CommitHooks;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.LanceWrites;
import dev.lancet.testing.TableFiles;
import dev.lancet.testing.udfs.Counting;
import dev.lancet.udf.UdfInspector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another writer commits between a backfill's check of its fragments and its commit (a hook runs
 * the writer there, once). For each kind of writer the backfill ends with the table aligned and
 * every value current, or its commit refused and the work retried, and an identical rerun then
 * computes nothing.
 */
class InterleavedWriterTest {
  @TempDir Path dir;
  private String uri;

  @BeforeEach
  void table() {
    uri = LanceTestTables.withCountingArea(dir);
  }

  @AfterEach
  void noHook() {
    CommitHooks.set(null);
  }

  /** Runs {@code writer} once, in the window of the first commit group. */
  private BackfillResult backfillWith(Runnable writer) {
    AtomicBoolean done = new AtomicBoolean();
    CommitHooks.set(
        new CommitHooks.Hook() {
          @Override
          public void beforeCommit(List<Integer> fragmentIds) {
            if (done.compareAndSet(false, true)) {
              writer.run();
            }
          }
        });
    BackfillResult result = Backfill.of(uri, "area").commitGranularity(10).run();
    CommitHooks.set(null);
    return result;
  }

  /**
   * Every live row's area is x * y of its row now: aligned and current; then a rerun computes
   * nothing.
   */
  private void assertCurrentAndSettled(String x) {
    TableFiles.assertEveryReferencedFileExists(uri);
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", x, "y", "area"))) {
      long expected = ((Number) row.get(x)).longValue() * (Integer) row.get("y");
      assertEquals(expected, row.get("area"), "area of id " + row.get("id"));
    }
    Counting.CALLS.set(0);
    BackfillResult again = Backfill.of(uri, "area").run();
    assertEquals(0, again.rowsComputed(), "then settled: " + again);
    assertEquals(0, Counting.CALLS.get());
  }

  private void assertCurrentAndSettled() {
    assertCurrentAndSettled("x");
  }

  @Test
  void anAppendIsKeptAndItsRowsComputed() {
    BackfillResult r = backfillWith(() -> LanceTestTables.append(uri, 30, 1, 5));
    assertEquals(35, r.rowsComputed(), "a second round computed the appended rows: " + r);
    assertEquals(35, LanceTestReads.rows(uri, List.of("id")).size(), "the append is kept");
    assertCurrentAndSettled();
  }

  @Test
  void aDeleteKeepsTheFilesAligned() {
    backfillWith(() -> LanceWrites.delete(uri, "id = 3 OR id = 25"));
    assertEquals(28, LanceTestReads.rows(uri, List.of("id")).size());
    assertCurrentAndSettled();
  }

  @Test
  void anInPlaceUpdateOfAnInputIsComputedAgain() {
    // Lance 4.0 applies the DataReplacement over the update without a conflict: the values it
    // committed for fragment 0 are stale, and a second round computes that fragment again.
    BackfillResult r = backfillWith(() -> LanceWrites.updateInPlace(uri, 0, 4, "x", 100));
    assertEquals(40, r.rowsComputed(), r.toString());
    assertEquals(2, r.commits());
    assertEquals(
        List.of(100),
        LanceTestReads.rows(uri, List.of("id", "x")).stream()
            .filter(row -> row.get("id").equals(4))
            .map(row -> row.get("x"))
            .toList());
    assertCurrentAndSettled();
  }

  @Test
  void aCompactionIsLeftAloneAndItsRowsComputed() {
    // The compacted fragments are gone: the commit is refused, and a second round computes the
    // new fragment (its rows were not current when it was written).
    BackfillResult r = backfillWith(() -> LanceWrites.compact(uri));
    assertEquals(1, r.commits(), r.toString());
    assertEquals(1, r.fragmentsCommitted());
    assertCurrentAndSettled();
  }

  @Test
  void aBackfillOfTheSameColumnCommitsTheFilesTheFirstOneFinished() {
    // The inner backfill finds the outer one's finished files recorded under the same work and
    // commits them instead of computing: the rows are computed once.
    BackfillResult r = backfillWith(() -> Backfill.of(uri, "area").run());
    assertEquals(30, Counting.CALLS.get());
    assertEquals(3, r.fragmentsCommitted());
    assertCurrentAndSettled();
  }

  @Test
  void aBackfillOfAnotherColumnLandsToo() {
    VirtualColumns.add(
        uri,
        Map.of(),
        "label",
        UdfInspector.inspect(Counting.Label.class, Map.of("suffix", "!"), List.of("id", "name")));
    backfillWith(() -> Backfill.of(uri, "label").run());
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "label"))) {
      assertEquals("file-" + row.get("id") + "!", row.get("label"));
    }
    assertCurrentAndSettled();
  }

  @Test
  void anAddedColumnIsKept() {
    backfillWith(() -> LanceWrites.addColumn(uri, "extra"));
    assertTrue(
        LanceTestReads.rows(uri, List.of("extra")).stream().allMatch(r -> r.get("extra") == null));
    assertCurrentAndSettled();
  }

  @Test
  void aDroppedOtherColumnIsKept() {
    backfillWith(() -> LanceWrites.dropColumns(uri, "name"));
    assertCurrentAndSettled();
  }

  @Test
  void aTypeChangeOfAnInputKeepsTheTableConsistent() {
    backfillWith(() -> LanceWrites.castColumn(uri, "x", new ArrowType.Int(64, true)));
    assertCurrentAndSettled();
  }
}
