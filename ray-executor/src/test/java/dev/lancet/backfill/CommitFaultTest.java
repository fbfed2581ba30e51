package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.commit.CommitHooks;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.TableFiles;
import dev.lancet.testing.udfs.Counting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits that fail in awkward places: a second commit group that fails after the first landed, a
 * commit that lands and then throws, a commit that fails for good. Nothing a table version
 * references is ever deleted, and a fatal failure stops the work.
 */
class CommitFaultTest {
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

  private void assertAreas() {
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
  }

  /** A hook that throws after the first {@code times} commits landed. */
  private static CommitHooks.Hook failAfterLanding(int times) {
    AtomicInteger left = new AtomicInteger(times);
    return new CommitHooks.Hook() {
      @Override
      public void afterCommit(List<Integer> fragmentIds, long version) {
        if (left.getAndDecrement() > 0) {
          throw new IllegalStateException(
              "injected: the commit of " + fragmentIds + " landed, then the call failed");
        }
      }
    };
  }

  @Test
  void aSecondGroupThatFailsLeavesTheFirstCommittedAndTheRetryKeepsItsFiles() {
    // A fragment appended with the column inside its one data file is committed in a group of its
    // own (another field set), after the group of the others.
    LanceTestTables.appendWithAllColumns(uri, 30, 5);
    AtomicInteger groups = new AtomicInteger();
    CommitHooks.set(
        new CommitHooks.Hook() {
          @Override
          public void beforeCommit(List<Integer> fragmentIds) {
            if (groups.incrementAndGet() == 2) {
              throw new IllegalStateException("injected: the second group fails");
            }
          }
        });

    BackfillResult result = Backfill.of(uri, "area").commitGranularity(10).run();

    assertEquals(4, result.fragmentsCommitted(), "both groups, the second on the retry");
    TableFiles.assertEveryReferencedFileExists(uri);
    assertAreas();
    assertEquals(0, Backfill.of(uri, "area").run().rowsComputed());
  }

  @Test
  void aCommitThatLandsThenThrowsIsNotRepeatedAndItsFilesStay() {
    CommitHooks.set(failAfterLanding(1));
    long before = LanceTestReads.version(uri);

    BackfillResult result = Backfill.of(uri, "area").commitGranularity(10).run();

    assertEquals(3, result.fragmentsCommitted());
    assertEquals(
        before + 1, LanceTestReads.version(uri), "one commit: the retry found it had landed");
    TableFiles.assertEveryReferencedFileExists(uri);
    assertAreas();
  }

  @Test
  void withoutCheckpointsAFailedRunDeletesNoFileAVersionReferences() {
    LanceTestTables.appendWithAllColumns(uri, 30, 5); // two commit groups, as above
    AtomicInteger commits = new AtomicInteger();
    CommitHooks.set(
        new CommitHooks.Hook() {
          @Override
          public void beforeCommit(List<Integer> fragmentIds) {
            if (commits.get() > 0) {
              throw new IllegalStateException("injected: the table refuses every later commit");
            }
          }

          @Override
          public void afterCommit(List<Integer> fragmentIds, long version) {
            commits.incrementAndGet();
            throw new IllegalStateException(
                "injected: the first commit landed, then the call failed");
          }
        });

    BackfillException e =
        assertThrows(
            BackfillException.class,
            () -> Backfill.of(uri, "area").commitGranularity(10).checkpoints(false).run());

    assertTrue(e.getMessage().contains("injected"), e.getMessage());
    TableFiles.assertEveryReferencedFileExists(uri);
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      if (id < 30) {
        assertEquals(
            (long) LanceTestTables.x(id) * LanceTestTables.y(id),
            row.get("area"),
            "the landed group, id " + id);
      }
    }
    CommitHooks.set(null);
    BackfillResult rerun = Backfill.of(uri, "area").checkpoints(false).run();
    assertEquals(5, rerun.rowsComputed(), "only the group that never landed");
    assertAreas();
  }

  @Test
  void aCommitThatFailsForGoodStopsTheQueue() {
    String many = LanceTestTables.create(dir.resolve("many"), "t", 8, 10);
    VirtualColumns.add(
        many,
        Map.of(),
        "area",
        dev.lancet.udf.UdfInspector.inspect(
            Counting.Area.class, Map.of(), List.of("id", "x", "y")));
    Counting.CALLS.set(0);
    CommitHooks.set(
        new CommitHooks.Hook() {
          @Override
          public void beforeCommit(List<Integer> fragmentIds) {
            throw new IllegalStateException("injected: the table refuses every commit");
          }
        });

    BackfillException e =
        assertThrows(
            BackfillException.class,
            () -> Backfill.of(many, "area").commitGranularity(1).concurrency(1).run());

    assertTrue(e.getMessage().contains("refuses every commit"), e.getMessage());
    assertTrue(
        Counting.CALLS.get() <= 20,
        "the queue stopped at the first failed commit (one fragment in flight): "
            + Counting.CALLS.get()
            + " rows computed of 80");
    assertEquals(
        dev.lancet.backfill.JobStatus.FAILED, BackfillJobs.list(many, Map.of()).get(0).status());
  }
}
