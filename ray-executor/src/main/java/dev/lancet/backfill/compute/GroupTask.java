package dev.lancet.backfill.compute;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.plan.WorkGroup;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.DataFiles;
import dev.lancet.udf.ColumnUdf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.LoggerFactory;

/**
 * Computes a work group on a worker: its units one after the other, from one shared scan. If a unit
 * fails, the files its group finished before it are not lost with it: with checkpoints they get
 * done records (the rerun commits them), without they are deleted (no version can hold them: the
 * driver never saw them).
 */
final class GroupTask {
  private GroupTask() {}

  static List<FragmentReceipt> compute(WorkGroup group, ColumnUdf udf, OpenDatasets datasets) {
    WorkUnit first = group.first();
    // A column named twice in INPUTS is read once (Lance refuses a projection that repeats one);
    // the UDF's arguments are taken from the batch by name.
    List<String> columns = udf.spec().inputs().stream().distinct().toList();
    return compute(
        group,
        udf,
        datasets,
        () ->
            new GroupScan(
                datasets.of(first),
                fragmentIds(group),
                columns,
                scanFilter(first),
                first.batchSize()));
  }

  /**
   * Computes a work group whose rows come from the source {@code opener} opens (a view of a scan
   * that other columns share: {@link FusedTask}); the source is closed at the end.
   */
  static List<FragmentReceipt> compute(
      WorkGroup group, ColumnUdf udf, OpenDatasets datasets, Supplier<RowSource> opener) {
    try {
      return computeUnits(group, udf, datasets, opener);
    } finally { // its receipts (or its failure) count its rows now
      group.units().forEach(u -> InFlightRows.finish(u.jobId(), u.partsKey()));
    }
  }

  /** The group's fragments, in scan order. */
  static List<Integer> fragmentIds(WorkGroup group) {
    return group.units().stream().map(WorkUnit::fragmentId).toList();
  }

  private static List<FragmentReceipt> computeUnits(
      WorkGroup group, ColumnUdf udf, OpenDatasets datasets, Supplier<RowSource> opener) {
    WorkUnit first = group.first();
    List<FragmentReceipt> done = new ArrayList<>();
    try (RowSource scan = opener.get()) {
      for (WorkUnit unit : group.units()) {
        done.add(FragmentTask.compute(unit, udf, datasets, scan));
      }
      return done;
    } catch (RuntimeException | Error e) {
      keepFinished(group, done);
      throw e;
    } catch (Exception e) {
      keepFinished(group, done);
      throw new BackfillException(
          "column '"
              + first.column()
              + "': scanning "
              + group.describe()
              + " of "
              + first.datasetUri()
              + " failed: "
              + e,
          e);
    }
  }

  /**
   * The scan's filter: the job's, and for a row range of a fragment only the range's rows (Lance
   * prunes a scan by row address, so a range's task reads its own rows, not the fragment's).
   */
  static String scanFilter(WorkUnit unit) {
    if (!unit.isRange()) {
      return unit.filter();
    }
    long base = (long) unit.fragmentId() << 32;
    String range =
        "_rowaddr >= " + (base + unit.firstSlot()) + " AND _rowaddr < " + (base + unit.endSlot());
    return unit.filter() == null ? range : "(" + unit.filter() + ") AND " + range;
  }

  static void keepFinished(WorkGroup group, List<FragmentReceipt> done) {
    WorkUnit first = group.first();
    CheckpointStore store = new CheckpointStore(first.table(), first.column());
    try (BufferAllocator allocator = Allocators.child("lancet-group")) {
      for (FragmentReceipt r : done) {
        if (!r.changed() || r.earlierFile() || r.checkpointed()) {
          continue; // nothing written, or already recorded where a rerun finds it
        }
        if (!first.checkpoints()) {
          DataFiles.deleteQuietly(
              DataFiles.dataFileUri(first.datasetUri(), r.fileName()), first.storageOptions());
          continue;
        }
        try {
          store.writeDone(r.workKey(), r.with(r.origin().inDoneRecord()), allocator);
        } catch (Exception e) {
          LoggerFactory.getLogger(GroupTask.class)
              .warn(
                  "could not record finished fragment {} after its group failed: {}",
                  r.fragmentId(),
                  e.toString());
        }
      }
    }
  }
}
