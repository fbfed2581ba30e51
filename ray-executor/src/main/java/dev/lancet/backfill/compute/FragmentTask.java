package dev.lancet.backfill.compute;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.backfill.store.ErrorRecords;
import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.DataFiles;
import dev.lancet.lance.FileFormat;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.StoredColumn;
import dev.lancet.udf.ColumnUdf;
import dev.lancet.udf.UdfException;
import java.util.BitSet;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.file.LanceFileReader;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Computes one fragment's column: the rows whose value is missing or stale (and match the filter),
 * nothing else, and writes the fragment's new column file.
 *
 * <p>Lance's DataReplacement does not check row counts, so the file holds exactly the fragment's
 * physical rows in physical order (deleted rows included). When every physical row is computed in
 * order, the batches go straight to the file ({@link DenseColumnWriter}); otherwise computed values
 * are merged with the column's current ones in slot order ({@link MergingColumnWriter}). Either way
 * the file is written in parts ({@link RollingParts}), so a fragment in progress is checkpointed
 * every checkpoint interval and a rerun resumes after the last part.
 */
public final class FragmentTask {
  private FragmentTask() {}

  /**
   * Computes a unit whose rows come from {@code scan} (its group's; the unit's fragment must be in
   * it).
   */
  static FragmentReceipt compute(
      WorkUnit unit, ColumnUdf udf, OpenDatasets datasets, RowSource scan) {
    if (unit.physicalRows() > Integer.MAX_VALUE) {
      throw new BackfillException(
          "fragment "
              + unit.fragmentId()
              + " has "
              + unit.physicalRows()
              + " rows, more than one column file can hold");
    }
    CheckpointStore store = new CheckpointStore(unit.table(), unit.column());
    FragmentTally tally =
        new FragmentTally(udf.spec().errorPolicy().nullOnError(), unit.fragmentId());
    try (BufferAllocator allocator = Allocators.child("lancet-fragment-" + unit.fragmentId())) {
      if (unit.checkpoints() && unit.mayResume() && !unit.isRange()) {
        FragmentReceipt earlier = store.readDone(unit.workKey(), allocator);
        if (earlier != null
            && DataFiles.holdsRows(
                unit.table(), earlier.fileName(), unit.physicalRows(), allocator)) {
          return earlier.reusedLater();
        }
      }
      Dataset dataset = datasets.of(unit);
      StoredColumn stored = StoredColumn.of(dataset, unit.column());
      Schema fileSchema =
          unit.current() != null && unit.current().shared()
              ? sharedSchema(unit, allocator)
              : new Schema(stored.fileFields(dataset.getSchema()));
      try (RollingParts parts =
          new RollingParts(unit, fileSchema, formatOf(unit, dataset), store, allocator)) {
        tally.reused += parts.resumedSlots();
        ComputedRows rows =
            new ComputedRows(scan, unit, udf, unit.fresh(), parts.nextSlot(), allocator, tally);
        // An assembly whose ranges are all done scans nothing.
        ComputedRows.Batch first = parts.nextSlot() >= unit.endSlot() ? null : rows.next();
        if (first == null && !parts.resumed()) {
          if (!unit.isRange()) {
            return unchanged(unit); // nothing to compute: nothing written, nothing to commit
          }
          if (!unit.split().copiesUnchanged()) {
            return rangeUnchanged(unit); // nothing written unless another range changed rows
          }
        }
        RollingParts.Finished finished;
        try {
          if (unit.dense()) {
            DenseColumnWriter.write(unit, stored, rows, first, parts, allocator);
          } else {
            MergingColumnWriter.write(unit, stored, rows, first, parts, allocator);
          }
          if (unit.isRange()) {
            parts.finishRange();
            ErrorRecords.record(
                unit.table(), unit.jobId(), unit.column(), unit.fragmentId(), tally.all);
            return rangeDone(unit, tally, allocator.getPeakMemoryAllocation());
          }
          finished = parts.finish();
        } catch (Exception | Error e) {
          parts.failed();
          throw e;
        }
        ErrorRecords.record(
            unit.table(), unit.jobId(), unit.column(), unit.fragmentId(), tally.all);
        String fileName = finished.fileName();
        Long size = DataFiles.sizeOf(DataFiles.dataFileUri(unit.datasetUri(), fileName));
        String current =
            currentSlots(unit, dataset, udf.spec().inputs().get(0), finished.current(), allocator);
        FragmentReceipt receipt =
            new FragmentReceipt(
                unit.fragmentId(),
                unit.workKey(),
                new FragmentReceipt.WrittenFile(
                    fileName,
                    size == null ? 0 : size,
                    unit.physicalRows(),
                    unit.current() != null && unit.current().shared() ? unit.current() : null,
                    current),
                new FragmentReceipt.RowCounts(tally.rows, tally.reused, tally.failed, tally.errors),
                new FragmentReceipt.Origin(
                    false,
                    finished.checkpointed(),
                    null,
                    null,
                    allocator.getPeakMemoryAllocation()));
        if (finished.checkpointed()) {
          // Outlived a checkpoint interval: keep its receipt until the driver has recorded it.
          store.writeDone(unit.workKey(), receipt, allocator);
          parts.dropSuperseded();
        }
        return receipt;
      }
    } catch (UdfException | BackfillException e) {
      throw e;
    } catch (Exception e) {
      throw new BackfillException(
          "column '"
              + unit.column()
              + "': computing fragment "
              + unit.fragmentId()
              + " of "
              + unit.datasetUri()
              + " failed: "
              + e,
          e);
    }
  }

  private static Schema sharedSchema(WorkUnit unit, BufferAllocator allocator) throws Exception {
    try (LanceFileReader reader =
        LanceFileReader.open(
            DataFiles.dataFileUri(unit.datasetUri(), unit.current().path()),
            unit.storageOptions(),
            allocator)) {
      return reader.schema();
    }
  }

  private static String formatOf(WorkUnit unit, Dataset dataset) {
    return unit.current() != null && unit.current().shared()
        ? unit.current().formatVersion()
        : FileFormat.of(dataset).versionString();
  }

  /**
   * The slots of the new file whose value is current, as a receipt carries them: null when every
   * live row's is (the usual end of a backfill without a filter).
   */
  private static String currentSlots(
      WorkUnit unit, Dataset dataset, String anyInput, BitSet current, BufferAllocator allocator)
      throws Exception {
    int count = current.cardinality();
    if (count >= unit.physicalRows()
        || (count >= unit.liveRows()
            && everyLiveRowIn(unit, dataset, anyInput, current, allocator))) {
      return null;
    }
    return Slots.of(current).encodeKeepingEmpty();
  }

  /** Whether every live row's slot is in {@code slots} (one scan of row addresses). */
  private static boolean everyLiveRowIn(
      WorkUnit unit, Dataset dataset, String anyInput, BitSet slots, BufferAllocator allocator)
      throws Exception {
    ScanOptions options =
        new ScanOptions.Builder()
            .fragmentIds(List.of(unit.fragmentId()))
            .columns(List.of(anyInput))
            .withRowAddress(true)
            .batchSize(65_536)
            .build();
    try (LanceScanner scanner = dataset.newScan(options);
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        UInt8Vector addresses = (UInt8Vector) batch.getVector(LanceDatasets.ROW_ADDRESS);
        for (int i = 0; i < batch.getRowCount(); i++) {
          if (!slots.get((int) (addresses.get(i) & 0xFFFFFFFFL))) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * A row range's receipt: its rows' counts, under the range's key, and no file (its parts are
   * recorded for the fragment's assembly). The driver never commits it.
   */
  private static FragmentReceipt rangeDone(WorkUnit unit, FragmentTally tally, long peakBytes) {
    return new FragmentReceipt(
        unit.fragmentId(),
        unit.partsKey(),
        new FragmentReceipt.WrittenFile(null, 0, unit.physicalRows(), null, null),
        new FragmentReceipt.RowCounts(tally.rows, tally.reused, tally.failed, tally.errors),
        new FragmentReceipt.Origin(false, true, null, null, peakBytes));
  }

  /**
   * A range with nothing to compute that wrote nothing: no part recorded (the receipt's origin is
   * not checkpointed), so the driver knows to run it again copying its values if another range of
   * its fragment changed some.
   */
  private static FragmentReceipt rangeUnchanged(WorkUnit unit) {
    return new FragmentReceipt(
        unit.fragmentId(),
        unit.partsKey(),
        new FragmentReceipt.WrittenFile(null, 0, unit.physicalRows(), null, null),
        new FragmentReceipt.RowCounts(0, 0, 0, List.of()),
        FragmentReceipt.Origin.NEW);
  }

  /** A fragment with nothing to compute. */
  private static FragmentReceipt unchanged(WorkUnit unit) {
    return FragmentReceipt.unchanged(
        unit.fragmentId(), unit.workKey(), unit.physicalRows(), unit.currentSlots());
  }
}
