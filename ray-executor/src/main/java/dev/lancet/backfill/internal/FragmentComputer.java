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
import org.slf4j.LoggerFactory;
import org.lance.file.LanceFileWriter;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Computes one fragment's column and writes it as one Lance file.
 *
 * <p>Lance's DataReplacement does not check row counts, so the file must hold exactly the
 * fragment's physical rows in physical order (deleted rows included). When the scan returns
 * every physical row in order ({@link WorkUnit#dense()}), each computed batch is written
 * straight to the file. Otherwise each value goes to slot {@code _rowaddr & 0xFFFFFFFF} of a
 * fragment-sized vector; slots of deleted rows stay null; with a filter, the column's current
 * values are copied first, so rows outside the filter keep them.
 *
 * <p>With checkpoints on, a fragment in progress saves its finished batches as numbered
 * segments every checkpoint interval, and a resumed run takes those rows from them instead of
 * calling the UDF; the finished file is recorded as done under the fragment's key before it is
 * committed, and a rerun reuses a recorded file that was never committed.
 */
final class FragmentComputer {
  static final String ROW_ADDRESS = "_rowaddr";

  private FragmentComputer() {}

  static FragmentReceipt compute(WorkUnit unit, ColumnUdf udf, OpenDatasets datasets) {
    UdfSpec spec = udf.spec();
    if (unit.physicalRows() > Integer.MAX_VALUE) {
      throw new BackfillException("fragment " + unit.fragmentId() + " has " + unit.physicalRows() + " rows, more than one column file can hold");
    }
    int physicalRows = (int) unit.physicalRows();
    CheckpointStore checkpoints = new CheckpointStore(unit.datasetUri(), unit.storageOptions(), unit.column());
    Tally tally = new Tally(spec.errorPolicy().nullOnError());
    String fileName;
    try (BufferAllocator allocator = Allocators.child("lancet-fragment-" + unit.fragmentId())) {
      if (unit.checkpoints()) {
        FragmentReceipt earlier = finishedEarlier(unit, checkpoints, allocator);
        if (earlier != null) {
          return earlier;
        }
      }
      Dataset dataset = datasets.of(unit);
      Field field = TypeStrings.parse(spec.outputType()).toField(unit.column(), true);
      fileName = unit.dense()
          ? computeDense(field, dataset, unit, udf, allocator, tally, checkpoints)
          : computePlaced(field, physicalRows, dataset, unit, udf, allocator, tally, checkpoints);
    } catch (UdfException | BackfillException e) {
      throw e;
    } catch (Exception e) {
      throw new BackfillException("column '" + unit.column() + "': computing fragment " + unit.fragmentId()
          + " of " + unit.datasetUri() + " failed: " + e, e);
    }
    Long size = DataFiles.sizeOf(DataFiles.dataFileUri(unit.datasetUri(), fileName));
    return new FragmentReceipt(unit.fragmentId(), fileName, size == null ? 0 : size, tally.rows, tally.reused, physicalRows,
        tally.failed, tally.errors, unit.fragmentKey(), unit.sharedFile(), false);
  }

  /**
   * The placed path: computes the fragment's column into a new file, keeping checkpoint segments
   * on the way; returns the file's name. On failure the finished batches are saved as a segment
   * and the file is deleted.
   */
  private static String computePlaced(Field field, int physicalRows, Dataset dataset, WorkUnit unit, ColumnUdf udf,
      BufferAllocator allocator, Tally tally, CheckpointStore checkpoints) throws Exception {
    String fileName = DataFiles.newFileName();
    String fileUri = DataFiles.dataFileUri(unit.datasetUri(), fileName);
    Segments segments = new Segments(unit, checkpoints, field, allocator);
    try (segments) {
      computeAligned(fileUri, field, physicalRows, dataset, unit, udf, allocator, tally, segments);
    } catch (Exception | Error e) {
      segments.saveAfterFailure();
      DataFiles.deleteQuietly(fileUri);
      throw e;
    }
    if (unit.checkpoints()) {
      checkpoints.markDone(unit.fragmentKey(), fileName, allocator);
      checkpoints.deleteSegments(unit.fragmentKey(), segments.count());
    }
    return fileName;
  }

  /**
   * The receipt for a column file an earlier run finished under the same key but did not commit
   * (it failed or was killed before), if that file is still there whole; else null.
   */
  private static FragmentReceipt finishedEarlier(WorkUnit unit, CheckpointStore checkpoints, BufferAllocator allocator) {
    String earlier = checkpoints.doneFile(unit.fragmentKey(), allocator);
    if (earlier == null) {
      return null;
    }
    String uri = DataFiles.dataFileUri(unit.datasetUri(), earlier);
    try (LanceFileReader reader = LanceFileReader.open(uri, unit.storageOptions(), allocator)) {
      if (reader.numRows() != unit.physicalRows()) {
        return null;
      }
    } catch (Exception e) {
      return null; // gone (committed and replaced since, or cleaned up): compute again
    }
    Long size = DataFiles.sizeOf(uri);
    return new FragmentReceipt(unit.fragmentId(), earlier, size == null ? 0 : size, 0, unit.liveRows(), unit.physicalRows(),
        0, List.of(), unit.fragmentKey(), unit.sharedFile(), true);
  }

  /** Rows computed, reused and failed in one fragment; collects failed rows under on_error = null. */
  private static final class Tally {
    final boolean collect;
    long rows;
    long reused;
    long failed;
    final List<RowError> errors = new ArrayList<>();

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

  /**
   * The fragment's checkpoint segments: those of an earlier run, read once, and the finished
   * batches of this run, kept until the interval has passed and then saved as the next segment.
   */
  private static final class Segments implements AutoCloseable {
    private static final long MAX_PENDING_ROWS = 4L << 20;
    private final WorkUnit unit;
    private final CheckpointStore store;
    private final Field valueField;
    private final BufferAllocator allocator;
    private final List<CheckpointStore.Rows> pending = new ArrayList<>();
    private long pendingRows;
    private int next;
    private long savedUpTo;
    private long lastSave = System.nanoTime();

    Segments(WorkUnit unit, CheckpointStore store, Field column, BufferAllocator allocator) {
      this.unit = unit;
      this.store = store;
      this.valueField = new Field(CheckpointStore.VALUE, column.getFieldType(), column.getChildren());
      this.allocator = allocator;
    }

    /** Hands the earlier run's segments to {@code sink}; returns the scan-ordered rows they cover. */
    long resume(CheckpointStore.SegmentSink sink) {
      if (!unit.checkpoints()) {
        return 0;
      }
      CheckpointStore.Resumed r = store.readSegments(unit.fragmentKey(), valueField, allocator, sink);
      next = r.segments();
      savedUpTo = r.rows();
      return r.rows();
    }

    /** Keeps a finished batch (copies of its addresses; its values are taken over) for the next segment. */
    void add(UInt8Vector addresses, FieldVector values, int rows) {
      if (!unit.checkpoints()) {
        values.close();
        return;
      }
      // Row addresses are never null: copy the values in bulk and mark every row valid.
      UInt8Vector a = new UInt8Vector(CheckpointStore.ADDRESS, allocator);
      a.allocateNew(rows);
      a.getDataBuffer().setBytes(0, addresses.getDataBuffer(), 0, (long) rows * UInt8Vector.TYPE_WIDTH);
      a.getValidityBuffer().setOne(0, (rows + 7) / 8);
      a.setValueCount(rows);
      pending.add(new CheckpointStore.Rows(a, values, rows));
      pendingRows += rows;
    }

    /** Saves the kept batches as a segment once the interval has passed (or too many are kept). */
    void saveIfDue() throws Exception {
      if (!pending.isEmpty() && (System.nanoTime() - lastSave >= unit.checkpointIntervalMillis() * 1_000_000L
          || pendingRows >= MAX_PENDING_ROWS)) {
        save();
      }
    }

    private void save() throws Exception {
      store.writeSegment(unit.fragmentKey(), next, savedUpTo, pending, allocator);
      next++;
      savedUpTo += pendingRows;
      release();
      lastSave = System.nanoTime();
    }

    /** A batch failed: the finished ones before it are saved, so a rerun does not compute them again. */
    void saveAfterFailure() {
      try {
        if (!pending.isEmpty()) {
          save();
        }
      } catch (Exception e) {
        LoggerFactory.getLogger(FragmentComputer.class).warn("could not checkpoint fragment {} after a failure: {}",
            unit.fragmentId(), e.toString());
      }
    }

    /** Segments written or read, to delete once the column file is recorded. */
    int count() {
      return next;
    }

    private void release() {
      pending.forEach(CheckpointStore.Rows::close);
      pending.clear();
      pendingRows = 0;
    }

    @Override
    public void close() {
      release();
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

  private static LanceScanner scan(Dataset dataset, WorkUnit unit, ColumnUdf udf) {
    ScanOptions.Builder options = new ScanOptions.Builder()
        .fragmentIds(List.of(unit.fragmentId()))
        .columns(udf.spec().inputs())
        .withRowAddress(true)
        .batchSize(unit.batchSize());
    if (unit.filter() != null) {
      options.filter(unit.filter());
    }
    return dataset.newScan(options.build());
  }

  /** Calls the UDF on a batch, turning a row's failure into an error naming its row address. */
  private static FieldVector call(ColumnUdf udf, VectorSchemaRoot batch, UInt8Vector addresses, WorkUnit unit,
      BufferAllocator allocator, Tally tally) {
    try {
      return udf.compute(batch, unit.column(), allocator, tally.sink(addresses));
    } catch (UdfRowException e) {
      long address = addresses.get(e.rowInBatch());
      throw new BackfillException("column '" + unit.column() + "': " + e.getMessage() + " at row address "
          + address + " (fragment " + (address >>> 32) + ", row " + (address & 0xFFFFFFFFL) + ")", e.getCause());
    }
  }

  /** The column file being written: rows from scan ordinal {@code first} on. */
  private static final class OpenPart {
    final String fileName = DataFiles.newFileName();
    final long first;
    final LanceFileWriter writer;
    long rows;

    OpenPart(WorkUnit unit, long first, String format, BufferAllocator allocator) throws Exception {
      this.first = first;
      this.writer = LanceFileWriter.open(DataFiles.dataFileUri(unit.datasetUri(), fileName), allocator, null,
          Optional.of(format), unit.storageOptions());
    }

    CheckpointStore.Part close() throws Exception {
      writer.close();
      return new CheckpointStore.Part(first, rows, fileName);
    }
  }

  /**
   * Every physical row comes back in order: batch after batch is the next slice of the column
   * file, written as it is computed, so the fragment is never held in memory whole. With
   * checkpoints, the file is closed every checkpoint interval and recorded as a part, and the
   * next batches go to a new one; a resumed run starts after the recorded parts. A fragment
   * finished within the interval is one part, which is its column file; more parts are merged.
   * Returns the column file's name.
   */
  private static String computeDense(Field field, Dataset dataset, WorkUnit unit, ColumnUdf udf, BufferAllocator allocator,
      Tally tally, CheckpointStore store) throws Exception {
    List<CheckpointStore.Part> parts = new ArrayList<>(
        unit.checkpoints() ? store.readParts(unit.fragmentKey(), unit.datasetUri(), allocator) : List.of());
    long covered = parts.stream().mapToLong(CheckpointStore.Part::rows).sum();
    tally.reused += covered;
    String format = FileFormat.of(dataset).versionString();
    long interval = unit.checkpointIntervalMillis() * 1_000_000L;
    long lastRoll = System.nanoTime();
    OpenPart current = null;
    long position = 0;
    try {
      try (LanceScanner scanner = scan(dataset, unit, udf); ArrowReader reader = scanner.scanBatches()) {
        while (reader.loadNextBatch()) {
          VectorSchemaRoot batch = reader.getVectorSchemaRoot();
          int rows = batch.getRowCount();
          if (rows == 0) {
            continue;
          }
          UInt8Vector addresses = (UInt8Vector) batch.getVector(ROW_ADDRESS);
          if (!contiguous(addresses, rows, position, unit)) {
            throw new BackfillException("fragment " + unit.fragmentId() + ": the scan returned row address "
                + addresses.get(0) + " where physical row " + position + " was expected");
          }
          long batchStart = position;
          position += rows;
          if (position <= covered) {
            continue; // in a part an earlier run finished
          }
          int from = (int) Math.max(0, covered - batchStart);
          try (FieldVector values = call(udf, batch, addresses, unit, allocator, tally)) {
            if (current == null) {
              current = new OpenPart(unit, batchStart + from, format, allocator);
            }
            writeSlice(current.writer, field, values, from, rows - from, allocator);
            current.rows += rows - from;
          }
          tally.rows += rows - from;
          tally.reused += from;
          if (unit.checkpoints() && System.nanoTime() - lastRoll >= interval) {
            parts.add(current.close());
            current = null;
            store.writePart(unit.fragmentKey(), parts.size() - 1, parts.get(parts.size() - 1), allocator);
            lastRoll = System.nanoTime();
          }
        }
      }
      if (position != unit.physicalRows()) {
        throw new BackfillException("fragment " + unit.fragmentId() + ": the scan returned " + position + " rows of "
            + unit.physicalRows());
      }
    } catch (Exception | Error e) {
      keepOrDropAfterFailure(current, parts, unit, store, allocator);
      throw e;
    }
    int records = parts.size();
    if (current != null) {
      parts.add(current.close()); // the last piece needs no record: the fragment is done
    }
    String fileName = parts.size() == 1 ? parts.get(0).fileName() : merge(parts, field, format, unit, allocator);
    if (unit.checkpoints()) {
      store.markDone(unit.fragmentKey(), fileName, allocator);
      store.deletePartRecords(unit.fragmentKey(), records);
    }
    if (parts.size() > 1) {
      parts.forEach(p -> DataFiles.deleteQuietly(DataFiles.dataFileUri(unit.datasetUri(), p.fileName())));
    }
    return fileName;
  }

  /** A failed fragment: its finished rows are kept as a part (with checkpoints) or its files are deleted. */
  private static void keepOrDropAfterFailure(OpenPart current, List<CheckpointStore.Part> parts, WorkUnit unit,
      CheckpointStore store, BufferAllocator allocator) {
    CheckpointStore.Part last = null;
    if (current != null) {
      try {
        last = current.close();
      } catch (Exception closing) {
        DataFiles.deleteQuietly(DataFiles.dataFileUri(unit.datasetUri(), current.fileName));
      }
    }
    if (unit.checkpoints()) {
      if (last != null && last.rows() > 0) {
        try {
          store.writePart(unit.fragmentKey(), parts.size(), last, allocator);
        } catch (Exception recording) {
          LoggerFactory.getLogger(FragmentComputer.class).warn("could not checkpoint fragment {} after a failure: {}",
              unit.fragmentId(), recording.toString());
        }
      }
      return;
    }
    if (last != null) {
      DataFiles.deleteQuietly(DataFiles.dataFileUri(unit.datasetUri(), last.fileName()));
    }
  }

  /** Writes the parts, in order, as one column file; returns its name. */
  private static String merge(List<CheckpointStore.Part> parts, Field field, String format, WorkUnit unit,
      BufferAllocator allocator) throws Exception {
    String name = DataFiles.newFileName();
    try (LanceFileWriter writer = LanceFileWriter.open(DataFiles.dataFileUri(unit.datasetUri(), name), allocator, null,
        Optional.of(format), unit.storageOptions())) {
      for (CheckpointStore.Part part : parts) {
        try (LanceFileReader reader = LanceFileReader.open(DataFiles.dataFileUri(unit.datasetUri(), part.fileName()),
                 unit.storageOptions(), allocator);
             ArrowReader batches = reader.readAll(List.of(field.getName()), null, 65_536)) {
          while (batches.loadNextBatch()) {
            writer.write(batches.getVectorSchemaRoot());
          }
        }
      }
    } catch (Exception e) {
      DataFiles.deleteQuietly(DataFiles.dataFileUri(unit.datasetUri(), name));
      throw e;
    }
    return name;
  }

  private static boolean contiguous(UInt8Vector addresses, int rows, long firstSlot, WorkUnit unit) {
    long first = ((long) unit.fragmentId() << 32) | firstSlot;
    return addresses.get(0) == first && addresses.get(rows - 1) == first + rows - 1;
  }

  /** Writes rows {@code [from, from + rows)} of {@code values} to the file as the column (zero-copy). */
  private static void writeSlice(LanceFileWriter writer, Field field, FieldVector values, int from, int rows,
      BufferAllocator allocator) throws Exception {
    try (FieldVector column = field.createVector(allocator)) {
      values.makeTransferPair(column).splitAndTransfer(from, rows);
      try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(field), List.of(column), rows)) {
        writer.write(root);
      }
    }
  }

  /** Rows come back with gaps (deletions) or filtered: place each value at its physical slot. */
  private static void computeAligned(String fileUri, Field field, int physicalRows, Dataset dataset, WorkUnit unit,
      ColumnUdf udf, BufferAllocator allocator, Tally tally, Segments segments) throws Exception {
    try (FieldVector computed = empty(field, physicalRows, allocator)) {
      BitSet computedSlots = new BitSet(physicalRows);
      long covered = segments.resume((first, addresses, values, rows) -> {
        try {
          place(computed, computedSlots, addresses, values, rows, unit);
          return true;
        } catch (BackfillException e) {
          return false;
        }
      });
      tally.reused += covered;
      long position = 0;
      try (LanceScanner scanner = scan(dataset, unit, udf); ArrowReader reader = scanner.scanBatches()) {
        while (reader.loadNextBatch()) {
          VectorSchemaRoot batch = reader.getVectorSchemaRoot();
          int rows = batch.getRowCount();
          if (rows == 0) {
            continue;
          }
          long batchStart = position;
          position += rows;
          if (position <= covered) {
            continue; // placed from a checkpoint
          }
          int from = (int) Math.max(0, covered - batchStart);
          UInt8Vector addresses = (UInt8Vector) batch.getVector(ROW_ADDRESS);
          FieldVector values = call(udf, batch, addresses, unit, allocator, tally);
          try {
            // A batch straddling the checkpointed rows is placed whole: the same key gives the same values.
            place(computed, computedSlots, addresses, values, rows, unit);
          } catch (RuntimeException e) {
            values.close();
            throw e;
          }
          tally.rows += rows - from;
          tally.reused += from;
          segments.add(addresses, values, rows);
          segments.saveIfDue();
        }
      }
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
