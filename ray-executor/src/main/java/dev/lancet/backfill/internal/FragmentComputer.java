package dev.lancet.backfill.internal;

import dev.lancet.backfill.RowError;
import dev.lancet.backfill.BackfillException;
import dev.lancet.udf.ColumnUdf;
import dev.lancet.udf.RowErrors;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfRowException;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.TypeStrings;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.lance.Dataset;
import org.lance.file.LanceFileReader;
import org.lance.file.LanceFileWriter;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Computes one fragment's column and writes it as one Lance file.
 *
 * <p>Lance's DataReplacement does not check row counts, so the file must hold exactly the
 * fragment's physical rows in physical order (deleted rows included). Each value goes to slot
 * {@code _rowaddr & 0xFFFFFFFF}; slots of deleted rows stay null. With a filter, the column's
 * current values are copied first, so rows outside the filter keep them.
 *
 * <p>Each batch is durable before it counts: it is written as a checkpoint once computed, and a
 * valid checkpoint from an earlier (crashed) run is used instead of calling the UDF again.
 */
final class FragmentComputer {
  static final String ROW_ADDRESS = "_rowaddr";

  private FragmentComputer() {}

  static FragmentReceipt compute(WorkUnit unit, ColumnUdf udf) {
    UdfSpec spec = udf.spec();
    if (unit.physicalRows() > Integer.MAX_VALUE) {
      throw new BackfillException("fragment " + unit.fragmentId() + " has " + unit.physicalRows() + " rows, more than one column file can hold");
    }
    int physicalRows = (int) unit.physicalRows();
    String fileName = DataFiles.newFileName();
    String fileUri = DataFiles.dataFileUri(unit.datasetUri(), fileName);
    CheckpointStore checkpoints = new CheckpointStore(unit.datasetUri(), unit.storageOptions(), unit.column());
    Tally tally = new Tally(spec.errorPolicy().nullOnError());
    try (BufferAllocator allocator = Allocators.child("lancet-fragment-" + unit.fragmentId());
         Dataset dataset = LanceDatasets.open(allocator, unit.datasetUri(), unit.storageOptions(), unit.version())) {
      Field field = TypeStrings.parse(spec.outputType()).toField(unit.column(), true);
      try (FieldVector computed = empty(field, physicalRows, allocator)) {
        BitSet computedSlots = new BitSet(physicalRows);
        computeInto(computed, computedSlots, dataset, unit, udf, allocator, tally, checkpoints);
        computed.setValueCount(physicalRows);
        if (unit.filter() == null) {
          write(fileUri, dataset, computed, allocator, unit);
        } else {
          // Variable-width vectors must be written in slot order, once per slot: merge the
          // column's current values and the computed ones in a single ordered pass.
          try (FieldVector current = empty(field, physicalRows, allocator);
               FieldVector merged = empty(field, physicalRows, allocator)) {
            keepCurrentValues(current, dataset, unit);
            current.setValueCount(physicalRows);
            for (int slot = 0; slot < physicalRows; slot++) {
              merged.copyFromSafe(slot, slot, computedSlots.get(slot) ? computed : current);
            }
            merged.setValueCount(physicalRows);
            write(fileUri, dataset, merged, allocator, unit);
          }
        }
      }
    } catch (UdfException | BackfillException e) {
      DataFiles.deleteQuietly(fileUri);
      throw e;
    } catch (Exception e) {
      DataFiles.deleteQuietly(fileUri);
      throw new BackfillException("column '" + unit.column() + "': computing fragment " + unit.fragmentId()
          + " of " + unit.datasetUri() + " failed: " + e, e);
    }
    Long size = DataFiles.sizeOf(fileUri);
    return new FragmentReceipt(unit.fragmentId(), fileName, size == null ? 0 : size, tally.rows, tally.reused, physicalRows,
        tally.failed, tally.errors, unit.fragmentKey(), tally.checkpointKeys, unit.sharedFile());
  }

  /** Rows computed, reused and failed in one fragment; collects failed rows under on_error = null. */
  private static final class Tally {
    final boolean collect;
    long rows;
    long reused;
    long failed;
    final List<RowError> errors = new ArrayList<>();
    final List<String> checkpointKeys = new ArrayList<>();

    Tally(boolean collect) {
      this.collect = collect;
    }

    RowErrors sink(UInt8Vector addresses) {
      if (!collect) {
        return null;
      }
      return (row, inputs, error) -> {
        failed++;
        if (errors.size() < FragmentReceipt.MAX_ERRORS) {
          errors.add(new RowError(addresses.get(row), inputs, String.valueOf(error)));
        }
      };
    }
  }

  private static FieldVector empty(Field field, int rows, BufferAllocator allocator) {
    FieldVector v = field.createVector(allocator);
    v.setInitialCapacity(rows);
    v.allocateNew();
    return v;
  }

  private static void keepCurrentValues(FieldVector aligned, Dataset dataset, WorkUnit unit) throws Exception {
    ScanOptions options = new ScanOptions.Builder()
        .fragmentIds(List.of(unit.fragmentId()))
        .columns(List.of(unit.column()))
        .withRowAddress(true)
        .batchSize(unit.batchSize())
        .build();
    try (LanceScanner scanner = dataset.newScan(options); ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        place(aligned, null, (UInt8Vector) batch.getVector(ROW_ADDRESS), batch.getVector(unit.column()), batch.getRowCount(), unit);
      }
    }
  }

  private static void computeInto(FieldVector aligned, BitSet slots, Dataset dataset, WorkUnit unit, ColumnUdf udf,
      BufferAllocator allocator, Tally tally, CheckpointStore checkpoints) throws Exception {
    ScanOptions.Builder options = new ScanOptions.Builder()
        .fragmentIds(List.of(unit.fragmentId()))
        .columns(udf.spec().inputs())
        .withRowAddress(true)
        .batchSize(unit.batchSize());
    if (unit.filter() != null) {
      options.filter(unit.filter());
    }
    Field valueField = TypeStrings.parse(udf.spec().outputType()).toField(CheckpointStore.VALUE, true);
    try (LanceScanner scanner = dataset.newScan(options.build()); ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        int rows = batch.getRowCount();
        if (rows == 0) {
          continue;
        }
        UInt8Vector addresses = (UInt8Vector) batch.getVector(ROW_ADDRESS);
        // The key names exactly the rows of this batch, so a checkpoint is reused only for them.
        String key = Keys.hash(unit.fragmentKey(), addresses.get(0), addresses.get(rows - 1), rows);
        if (unit.checkpoints()) {
          tally.checkpointKeys.add(key);
        }
        if (unit.checkpoints() && checkpoints.readBatch(key, valueField, rows, allocator, (a, v, n) -> place(aligned, slots, a, v, n, unit))) {
          tally.reused += rows;
          continue;
        }
        FieldVector values;
        try {
          values = udf.compute(batch, unit.column(), allocator, tally.sink(addresses));
        } catch (UdfRowException e) {
          long address = addresses.get(e.rowInBatch());
          throw new BackfillException("column '" + unit.column() + "': " + e.getMessage() + " at row address "
              + address + " (fragment " + (address >>> 32) + ", row " + (address & 0xFFFFFFFFL) + ")", e.getCause());
        }
        try (values) {
          if (unit.checkpoints()) {
            checkpoints.writeBatch(key, addresses, values, rows, allocator);
          }
          place(aligned, slots, addresses, values, rows, unit);
          tally.rows += rows;
        }
      }
    }
  }

  /** Copies {@code rows} values into the aligned vector at their rows' physical slots (noted in {@code slots}). */
  private static void place(FieldVector aligned, BitSet slots, UInt8Vector addresses, FieldVector values, int rows, WorkUnit unit) {
    for (int i = 0; i < rows; i++) {
      long address = addresses.get(i);
      long slot = address & 0xFFFFFFFFL;
      if ((address >>> 32) != unit.fragmentId() || slot >= unit.physicalRows()) {
        throw new BackfillException("fragment " + unit.fragmentId() + ": row address " + address
            + " is outside the fragment's " + unit.physicalRows() + " physical rows");
      }
      aligned.copyFromSafe(i, (int) slot, values);
      if (slots != null) {
        slots.set((int) slot);
      }
    }
  }

  private static void write(String fileUri, Dataset dataset, FieldVector aligned, BufferAllocator allocator, WorkUnit unit)
      throws Exception {
    if (unit.sharedFile() != null) {
      rewriteShared(fileUri, aligned, allocator, unit);
      return;
    }
    try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(aligned.getField()), List.of(aligned));
         LanceFileWriter writer = LanceFileWriter.open(fileUri, allocator, null,
             Optional.of(FileFormat.of(dataset).versionString()), unit.storageOptions())) {
      writer.write(root);
    }
  }

  /**
   * The column lives in a file with other columns (a compaction wrote them together), and
   * DataReplacement swaps whole files: write that file anew, every physical row of its other
   * columns as they are, with this column's new values.
   */
  private static void rewriteShared(String fileUri, FieldVector aligned, BufferAllocator allocator, WorkUnit unit)
      throws Exception {
    WorkUnit.SharedFile shared = unit.sharedFile();
    String sharedUri = DataFiles.dataFileUri(unit.datasetUri(), shared.path());
    try (LanceFileReader reader = LanceFileReader.open(sharedUri, unit.storageOptions(), allocator)) {
      List<String> names = reader.schema().getFields().stream().map(Field::getName).toList();
      try (ArrowReader rows = reader.readAll(names, null, (int) Math.max(1, unit.physicalRows()))) {
        if (!rows.loadNextBatch() || rows.getVectorSchemaRoot().getRowCount() != unit.physicalRows()) {
          throw new BackfillException("fragment " + unit.fragmentId() + ": data file " + shared.path() + " does not hold its "
              + unit.physicalRows() + " rows in one read");
        }
        VectorSchemaRoot old = rows.getVectorSchemaRoot();
        List<FieldVector> vectors = new ArrayList<>();
        for (FieldVector v : old.getFieldVectors()) {
          vectors.add(v.getName().equals(unit.column()) ? aligned : v);
        }
        VectorSchemaRoot root = new VectorSchemaRoot(vectors.stream().map(FieldVector::getField).toList(), vectors,
            (int) unit.physicalRows());
        try (LanceFileWriter writer = LanceFileWriter.open(fileUri, allocator, null,
            Optional.of(shared.major() + "." + shared.minor()), unit.storageOptions())) {
          writer.write(root);
        }
      }
    }
  }
}
