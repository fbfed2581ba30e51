package dev.lancet.backfill.compute;

import dev.lancet.backfill.plan.FragmentSplit;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.DataFiles;
import dev.lancet.lance.DeferredDeletes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.file.LanceFileWriter;
import org.slf4j.LoggerFactory;

/**
 * A fragment's new column file, written in slot order as parts (as Iceberg's RollingFileWriter
 * rolls files): with checkpoints on, the open part is closed and recorded every checkpoint interval
 * and the next slots go to a new one, so a crash loses at most one interval of work and nothing is
 * written twice. A resumed run starts after the recorded parts of an earlier one. At the end the
 * parts are one file: the only part as it is, or several merged in order.
 *
 * <p>A row range of a split fragment ({@link dev.lancet.backfill.plan.FragmentSplit}) writes its
 * slots as parts recorded under its range's key, always (they are how its rows reach the assembly),
 * and ends without a file of its own ({@link #finishRange}). The fragment's assembly starts from
 * the ranges' parts, in order, as far as they join up, and makes them the file.
 *
 * <p>It also keeps which slots hold a current value, over the earlier parts and this run.
 */
final class RollingParts implements AutoCloseable {
  private final WorkUnit unit;
  private final Schema schema;
  private final String format;
  private final CheckpointStore store;
  private final BufferAllocator allocator;
  private final List<CheckpointStore.Part> parts = new ArrayList<>();
  private final BitSet current = new BitSet();
  private final long intervalNanos;
  private final int resumedParts;

  /** The key this unit's own parts are recorded under. */
  private final String key;

  /** Part records to drop once the file is recorded: per key, how many (numbered from 0). */
  private final Map<String, Integer> recorded = new LinkedHashMap<>();

  /** Slots this unit's parts of an earlier run hold (a range's parts are not the assembly's). */
  private long resumedSlots;

  private long lastRoll = System.nanoTime();
  private Open open;

  /**
   * The part being written: slots from {@code first} on. A part a merge reads again is an Arrow
   * part on a local table ({@link ArrowParts}), or a Lance file in {@link #PART_FORMAT} on an
   * object store; a unit's first part, which may be its column file, is a Lance file in the table's
   * format.
   */
  private final class Open {
    final String fileName;
    final long first;
    final LanceFileWriter lance;
    final ArrowParts.Writer arrow;
    long rows;

    Open(long first, boolean merged) throws Exception {
      this.first = first;
      boolean asArrow = merged && ArrowParts.usable(unit.datasetUri());
      this.fileName = asArrow ? ArrowParts.newFileName() : DataFiles.newFileName();
      String uri = DataFiles.dataFileUri(unit.datasetUri(), fileName);
      this.arrow = asArrow ? new ArrowParts.Writer(uri, schema, allocator) : null;
      this.lance =
          asArrow
              ? null
              : LanceFileWriter.open(
                  uri,
                  allocator,
                  null,
                  Optional.of(merged ? partFormat(format) : format),
                  unit.storageOptions());
    }

    void write(VectorSchemaRoot root) throws Exception {
      if (arrow != null) {
        arrow.write(root);
      } else {
        writeSliced(lance, root);
      }
      rows += root.getRowCount();
    }

    CheckpointStore.Part close() throws Exception {
      if (arrow != null) {
        arrow.close();
      } else {
        lance.close();
      }
      BitSet slice = current.get((int) first, (int) (first + rows));
      boolean all = slice.cardinality() == rows;
      return new CheckpointStore.Part(
          first, rows, fileName, all ? null : Slots.of(slice).encodeKeepingEmpty());
    }
  }

  RollingParts(
      WorkUnit unit,
      Schema schema,
      String format,
      CheckpointStore store,
      BufferAllocator allocator) {
    this.unit = unit;
    this.schema = schema;
    this.format = format;
    this.store = store;
    this.allocator = allocator;
    this.intervalNanos = unit.checkpointIntervalMillis() * 1_000_000L;
    this.key = unit.partsKey();
    FragmentSplit split = unit.split();
    if (split != null && !unit.isRange()) {
      // The assembly: the ranges' parts in order, while each range is whole.
      for (int i = 0; i < split.ranges(); i++) {
        long start = split.start(i);
        if (start != nextSlot()) {
          break;
        }
        String rangeKey = FragmentSplit.rangeKey(unit.workKey(), start);
        List<CheckpointStore.Part> found =
            store.readParts(rangeKey, unit.datasetUri(), start, allocator);
        found.forEach(this::take);
        if (!found.isEmpty()) {
          recorded.put(rangeKey, found.size());
        }
        if (nextSlot() != split.end(i, unit.physicalRows())) {
          break; // a range not finished: the assembly computes from here on
        }
      }
    }
    if ((unit.checkpoints() || unit.isRange()) && unit.mayResume()) {
      List<CheckpointStore.Part> own =
          store.readParts(key, unit.datasetUri(), nextSlot(), allocator);
      own.forEach(this::take);
      own.forEach(p -> resumedSlots += p.rows());
      if (!own.isEmpty()) {
        recorded.put(key, own.size());
      }
    }
    this.resumedParts = parts.size();
  }

  private void take(CheckpointStore.Part p) {
    parts.add(p);
    BitSet slice = p.currentSlots() == null ? null : Slots.decode(p.currentSlots()).toBitSet();
    for (int k = 0; k < p.rows(); k++) {
      if (slice == null || slice.get(k)) {
        current.set((int) (p.first() + k));
      }
    }
  }

  /** The slot this run writes from: after the parts found, else the unit's first. */
  long nextSlot() {
    if (parts.isEmpty()) {
      return unit.firstSlot();
    }
    CheckpointStore.Part last = parts.get(parts.size() - 1);
    return last.first() + last.rows();
  }

  /** Slots this unit's own parts of an earlier run hold (its rows reused from checkpoints). */
  long resumedSlots() {
    return resumedSlots;
  }

  /** Part records of this unit's own key so far: the next one's number. */
  private int ownRecords() {
    return recorded.getOrDefault(key, 0);
  }

  private void record(CheckpointStore.Part part) throws Exception {
    store.writePart(key, ownRecords(), part, allocator);
    recorded.merge(key, 1, Integer::sum);
  }

  /** Whether an earlier run left parts. */
  boolean resumed() {
    return resumedParts > 0;
  }

  /** The file schema's fields. */
  List<Field> fields() {
    return schema.getFields();
  }

  /** Notes that {@code slot} holds a current value. */
  void markCurrent(int slot) {
    current.set(slot);
  }

  /** Notes that slots {@code [from, to)} hold current values. */
  void markCurrent(int from, int to) {
    current.set(from, to);
  }

  /** Appends the next {@code root.getRowCount()} slots, starting at {@code firstSlot}. */
  void write(VectorSchemaRoot root, long firstSlot) throws Exception {
    if (open == null) {
      // Only a unit's first part can be its file as it is; any other is read once more by the
      // merge, so it takes the form that is cheapest to write and read (ArrowParts, PART_FORMAT).
      boolean first = parts.isEmpty() && !unit.isRange();
      open = new Open(firstSlot, !first);
    }
    open.write(root);
  }

  /** Writes {@code root} in windows of at most {@link WindowSize#BYTES} (see there why). */
  private static void writeSliced(LanceFileWriter writer, VectorSchemaRoot root) throws Exception {
    int n = root.getRowCount();
    long bytes = WindowSize.bytes(root);
    if (bytes <= WindowSize.BYTES || n <= 1) {
      writer.write(root);
      return;
    }
    int step = (int) Math.max(1, (long) n * WindowSize.BYTES / bytes);
    for (int from = 0; from < n; from += step) {
      try (VectorSchemaRoot slice = root.slice(from, Math.min(step, n - from))) {
        writer.write(slice);
      }
    }
  }

  /** Closes and records the open part if the checkpoint interval has passed since the last one. */
  void rollIfDue() throws Exception {
    if (unit.checkpoints() && open != null && System.nanoTime() - lastRoll >= intervalNanos) {
      CheckpointStore.Part part = open.close();
      open = null;
      parts.add(part);
      record(part);
      lastRoll = System.nanoTime();
    }
  }

  /**
   * What the finished parts are.
   *
   * @param fileName the column file
   * @param current the slots holding a current value
   * @param checkpointed whether part records exist (they stay until {@link #dropSuperseded})
   */
  record Finished(String fileName, BitSet current, boolean checkpointed) {}

  /** Closes the last part and makes the parts one file. */
  Finished finish() throws Exception {
    if (open != null) {
      parts.add(open.close()); // the last piece needs no record: the fragment is done
      open = null;
    }
    String fileName = merges() ? merge() : parts.get(0).fileName();
    return new Finished(fileName, current, !recorded.isEmpty());
  }

  /**
   * A range's end: its last part is recorded like the others (the assembly finds them all) and no
   * file is made; the part records stay until the assembly's file is recorded.
   */
  void finishRange() throws Exception {
    if (open != null) {
      CheckpointStore.Part part = open.close();
      open = null;
      if (part.rows() > 0) {
        parts.add(part);
        record(part);
      }
    }
  }

  /**
   * After the finished file is recorded (done record or commit): deletes the part records and, when
   * the parts were merged, their files.
   */
  void dropSuperseded() {
    recorded.forEach(store::deletePartRecords);
    if (merges()) {
      // Off the task's path: no record names them now, and a big file's delete is slow.
      parts.forEach(
          p ->
              DeferredDeletes.delete(
                  DataFiles.dataFileUri(unit.datasetUri(), p.fileName()), unit.storageOptions()));
    }
  }

  /**
   * Lance's 2.0 file format, which parts that are merged later are written in whatever the table's:
   * it lays a column's values out nearly as Arrow does, so it is cheaper than 2.1's structural
   * encoding to write (1.3x) and to read back (2.2x) for a {@code float[1536]} column
   * (docs/stack-notes.md, {@code benchmarks/run file-write}). The merge encodes the table's format
   * once.
   */
  static final String PART_FORMAT = "2.0";

  private static String partFormat(String tableFormat) {
    return tableFormat.startsWith("0.") ? tableFormat : PART_FORMAT;
  }

  /**
   * Whether the finished parts are merged into a new file: unless there is one part and this run
   * wrote it, which makes it a first part in the table's format ({@link #write}); a part found from
   * an earlier run may be in {@link #PART_FORMAT}.
   */
  private boolean merges() {
    return parts.size() != 1 || resumed() || ArrowParts.isArrowPart(parts.get(0).fileName());
  }

  /** Writes the parts, in order, as one file; returns its name. */
  private String merge() throws Exception {
    String name = DataFiles.newFileName();
    String uri = DataFiles.dataFileUri(unit.datasetUri(), name);
    List<String> names = schema.getFields().stream().map(Field::getName).toList();
    try (LanceFileWriter writer =
        LanceFileWriter.open(uri, allocator, null, Optional.of(format), unit.storageOptions())) {
      for (CheckpointStore.Part part : parts) {
        try (PartWindows windows = windowsOf(part, names)) {
          for (VectorSchemaRoot rows = windows.next(); rows != null; rows = windows.next()) {
            writeSliced(writer, rows);
          }
        }
      }
    } catch (Exception e) {
      DataFiles.deleteQuietly(uri, unit.storageOptions());
      throw e;
    }
    return name;
  }

  /** A part's rows in order: an Arrow part's batches, or a Lance file's windows. */
  private PartWindows windowsOf(CheckpointStore.Part part, List<String> names) throws Exception {
    String uri = DataFiles.dataFileUri(unit.datasetUri(), part.fileName());
    if (ArrowParts.isArrowPart(part.fileName())) {
      return new ArrowParts.Reader(uri, allocator);
    }
    return new FileWindows(
        uri,
        unit.storageOptions(),
        names,
        0,
        WindowSize.rows(schema.getFields(), Math.max(unit.batchSize(), 1 << 16)),
        allocator);
  }

  /**
   * The fragment failed: with checkpoints, the open part is closed and recorded so a rerun starts
   * after it; without, every file this run wrote is deleted.
   */
  void failed() {
    CheckpointStore.Part last = null;
    if (open != null) {
      try {
        last = open.close();
      } catch (Exception closing) {
        DataFiles.deleteQuietly(
            DataFiles.dataFileUri(unit.datasetUri(), open.fileName), unit.storageOptions());
      }
      open = null;
    }
    if (unit.checkpoints() || unit.isRange()) {
      if (last != null && last.rows() > 0) {
        try {
          record(last);
        } catch (Exception recording) {
          LoggerFactory.getLogger(RollingParts.class)
              .warn(
                  "could not checkpoint fragment {} after a failure: {}",
                  unit.fragmentId(),
                  recording.toString());
        }
      }
      return;
    }
    if (last != null) {
      DataFiles.deleteQuietly(
          DataFiles.dataFileUri(unit.datasetUri(), last.fileName()), unit.storageOptions());
    }
    for (CheckpointStore.Part p : parts.subList(resumedParts, parts.size())) {
      DataFiles.deleteQuietly(
          DataFiles.dataFileUri(unit.datasetUri(), p.fileName()), unit.storageOptions());
    }
  }

  @Override
  public void close() {
    if (open != null) {
      failed();
    }
  }
}
