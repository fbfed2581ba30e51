package dev.lancet.backfill.compute;

import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.DataFiles;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
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
  private int records;
  private long lastRoll = System.nanoTime();
  private Open open;

  /** The part being written: slots from {@code first} on. */
  private final class Open {
    final String fileName = DataFiles.newFileName();
    final long first;
    final LanceFileWriter writer;
    long rows;

    Open(long first) throws Exception {
      this.first = first;
      this.writer =
          LanceFileWriter.open(
              DataFiles.dataFileUri(unit.datasetUri(), fileName),
              allocator,
              null,
              Optional.of(format),
              unit.storageOptions());
    }

    CheckpointStore.Part close() throws Exception {
      writer.close();
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
    if (unit.checkpoints() && unit.mayResume()) {
      for (CheckpointStore.Part p : store.readParts(unit.workKey(), unit.datasetUri(), allocator)) {
        parts.add(p);
        BitSet slice = p.currentSlots() == null ? null : Slots.decode(p.currentSlots()).toBitSet();
        for (int k = 0; k < p.rows(); k++) {
          if (slice == null || slice.get(k)) {
            current.set((int) (p.first() + k));
          }
        }
      }
    }
    this.resumedParts = parts.size();
    this.records = parts.size();
  }

  /** Slots written by an earlier run: this run starts at this slot. */
  long covered() {
    return parts.stream().mapToLong(CheckpointStore.Part::rows).sum();
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
      open = new Open(firstSlot);
    }
    open.writer.write(root);
    open.rows += root.getRowCount();
  }

  /** Closes and records the open part if the checkpoint interval has passed since the last one. */
  void rollIfDue() throws Exception {
    if (unit.checkpoints() && open != null && System.nanoTime() - lastRoll >= intervalNanos) {
      CheckpointStore.Part part = open.close();
      open = null;
      parts.add(part);
      store.writePart(unit.workKey(), parts.size() - 1, part, allocator);
      records = parts.size();
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
    String fileName = parts.size() == 1 ? parts.get(0).fileName() : merge();
    return new Finished(fileName, current, records > 0);
  }

  /**
   * After the finished file is recorded (done record or commit): deletes the part records and, when
   * the parts were merged, their files.
   */
  void dropSuperseded() {
    store.deletePartRecords(unit.workKey(), records);
    if (parts.size() > 1) {
      parts.forEach(
          p ->
              DataFiles.deleteQuietly(
                  DataFiles.dataFileUri(unit.datasetUri(), p.fileName()), unit.storageOptions()));
    }
  }

  /** Writes the parts, in order, as one file; returns its name. */
  private String merge() throws Exception {
    String name = DataFiles.newFileName();
    String uri = DataFiles.dataFileUri(unit.datasetUri(), name);
    List<String> names = schema.getFields().stream().map(Field::getName).toList();
    try (LanceFileWriter writer =
        LanceFileWriter.open(uri, allocator, null, Optional.of(format), unit.storageOptions())) {
      for (CheckpointStore.Part part : parts) {
        try (FileWindows windows =
            new FileWindows(
                DataFiles.dataFileUri(unit.datasetUri(), part.fileName()),
                unit.storageOptions(),
                names,
                0,
                unit.batchSize(),
                allocator)) {
          for (VectorSchemaRoot rows = windows.next(); rows != null; rows = windows.next()) {
            writer.write(rows);
          }
        }
      }
    } catch (Exception e) {
      DataFiles.deleteQuietly(uri, unit.storageOptions());
      throw e;
    }
    return name;
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
    if (unit.checkpoints()) {
      if (last != null && last.rows() > 0) {
        try {
          store.writePart(unit.workKey(), parts.size(), last, allocator);
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
