package dev.lancet.backfill.compute;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.plan.FusedGroups;
import dev.lancet.backfill.plan.WorkGroup;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.udf.ColumnUdf;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes several columns' work groups over the same rows on one worker: one scan of the union of
 * their inputs ({@link SharedScan}), each column computing its own rows (only those missing or
 * stale for it) in its own thread, with its own UDF instance, parts, checkpoints and receipts. The
 * columns' UDFs run at once, so a fused task keeps a worker as busy as its columns together. Groups
 * that do not cover the same rows (which the driver does not send) are computed one after the
 * other, each from its own scan.
 */
final class FusedTask {
  private FusedTask() {}

  /** Each group's receipts, in the groups' order; the first failure once all have ended. */
  static List<List<FragmentReceipt>> compute(
      FusedGroups task, List<ColumnUdf> udfs, OpenDatasets datasets) {
    List<WorkGroup> groups = task.fused();
    if (groups.size() == 1 || !sameRows(groups)) {
      List<List<FragmentReceipt>> out = new ArrayList<>();
      for (int i = 0; i < groups.size(); i++) {
        out.add(GroupTask.compute(groups.get(i), udfs.get(i), datasets));
      }
      return out;
    }
    WorkUnit first = groups.get(0).first();
    List<String> inputs =
        udfs.stream().flatMap(u -> u.spec().inputs().stream()).distinct().toList();
    GroupScan scan =
        new GroupScan(
            datasets.of(first),
            GroupTask.fragmentIds(groups.get(0)),
            inputs,
            GroupTask.scanFilter(first),
            first.batchSize());
    int k = groups.size();
    List<List<FragmentReceipt>> results = new ArrayList<>(java.util.Collections.nCopies(k, null));
    Throwable[] failures = new Throwable[k];
    try (SharedScan shared = new SharedScan(scan)) {
      List<SharedScan.View> views = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        views.add(shared.view()); // all before any reads, so no batch passes a view unseen
      }
      List<Thread> threads = new ArrayList<>();
      for (int i = 1; i < k; i++) {
        int at = i;
        Thread t =
            new Thread(
                () -> computeOne(at, groups, udfs, datasets, views, results, failures),
                "lancet-fused-" + groups.get(i).column());
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      computeOne(0, groups, udfs, datasets, views, results, failures);
      joinAll(threads);
    }
    for (int i = 0; i < k; i++) {
      if (failures[i] != null) {
        // The task fails; what the other columns finished is kept for the rerun, as a group keeps
        // its finished fragments when a later one fails.
        for (int j = 0; j < k; j++) {
          if (results.get(j) != null) {
            GroupTask.keepFinished(groups.get(j), results.get(j));
          }
        }
        if (failures[i] instanceof Error e) {
          throw e;
        }
        throw named(groups.get(i).column(), failures[i]);
      }
    }
    return results;
  }

  /** A column's failure, naming the column (the driver cannot tell whose it was). */
  private static RuntimeException named(String column, Throwable f) {
    BackfillException ours = BackfillException.ofColumn(column, f);
    return ours != null
        ? ours
        : new BackfillException("column '" + column + "': computing failed: " + f, f);
  }

  private static void computeOne(
      int i,
      List<WorkGroup> groups,
      List<ColumnUdf> udfs,
      OpenDatasets datasets,
      List<SharedScan.View> views,
      List<List<FragmentReceipt>> results,
      Throwable[] failures) {
    try {
      results.set(i, GroupTask.compute(groups.get(i), udfs.get(i), datasets, () -> views.get(i)));
    } catch (Throwable t) { // each column's own failure, raised once every column has ended
      failures[i] = t;
    }
  }

  /** Waits for the columns' threads; an interrupt waits too (their views hold the scan open). */
  private static void joinAll(List<Thread> threads) {
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the groups cover the same rows ({@link FusedGroups#rowsKey}): one scan serves all. */
  static boolean sameRows(List<WorkGroup> groups) {
    String first = FusedGroups.rowsKey(groups.get(0));
    return groups.stream().allMatch(g -> FusedGroups.rowsKey(g).equals(first));
  }
}
