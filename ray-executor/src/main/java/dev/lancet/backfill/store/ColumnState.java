package dev.lancet.backfill.store;

import dev.lancet.lance.TableLocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.FragmentMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Lancet knows about each column file it wrote: which UDF version computed it, from which
 * input files, and which of the fragment's rows hold a current value. Kept in the Lance table
 * {@code <table>/_lancet/state}, one row per file, appended once per commit group (never one object
 * per fragment), and read in one scan when a backfill plans.
 *
 * <p>A row is recorded before its file is committed. Planning looks rows up by the file a fragment
 * holds now, so a row for a file that never got committed is simply never matched, except by a
 * later run of the same work (same {@link Entry#workKey()}), which commits that file instead of
 * computing it again.
 */
public final class ColumnState {
  private static final Logger LOG = LoggerFactory.getLogger(ColumnState.class);

  /** Appends after which the table is rewritten with only the rows still of use. */
  static final int COMPACT_AFTER_FRAGMENTS = 8;

  private static final long KEEP_UNCOMMITTED_MILLIS = 7L * 24 * 3600 * 1000;
  static final Schema SCHEMA =
      new Schema(
          List.of(
              Cells.utf8("column"),
              Field.nullable("fragment_id", new ArrowType.Int(32, true)),
              Cells.utf8("file"),
              Cells.utf8("udf_version"),
              Cells.utf8("inputs"),
              Field.nullable("physical_rows", new ArrowType.Int(64, true)),
              Field.nullable("current_slots", ArrowType.Binary.INSTANCE),
              Cells.utf8("work_key"),
              Cells.utf8("receipt"),
              Cells.utf8("job_id"),
              Field.nullable("recorded_at", new ArrowType.Int(64, true))));

  /**
   * One column file.
   *
   * @param column the virtual column
   * @param fragmentId the fragment it belongs to
   * @param file its name under the data directory
   * @param udfVersion the UDF version that computed its current values
   * @param inputs the fragment's input identity when they were computed ({@link FragmentInputs})
   * @param physicalRows its rows
   * @param currentSlots the slots holding a current value; null when every live row does
   * @param workKey the work that wrote it
   * @param receipt the worker's receipt (JSON), to commit the file without computing it again
   * @param jobId the job
   * @param recordedAt epoch milliseconds
   */
  public record Entry(
      String column,
      int fragmentId,
      String file,
      String udfVersion,
      String inputs,
      long physicalRows,
      byte[] currentSlots,
      String workKey,
      String receipt,
      String jobId,
      long recordedAt) {
    /**
     * Whether this entry still describes {@code fragment}'s file: recorded for that fragment, under
     * {@code udfVersion}, from the input files and physical rows the fragment has now ({@code
     * inputs}).
     */
    public boolean currentFor(FragmentMetadata fragment, String udfVersion, String inputs) {
      return fragmentId == fragment.getId()
          && this.udfVersion.equals(udfVersion)
          && this.inputs.equals(inputs)
          && physicalRows == fragment.getPhysicalRows();
    }
  }

  /** The entries of one column, latest per file and per work key. */
  public record Snapshot(Map<String, Entry> byFile, Map<String, Entry> byWorkKey) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of());
  }

  private final InternalTable table;

  public ColumnState(TableLocation location) {
    this.table = new InternalTable(InternalPaths.STATE.under(location), SCHEMA);
  }

  /** Every entry of {@code column}, in one scan. */
  public Snapshot read(String column, BufferAllocator allocator) {
    Map<String, Entry> byFile = new HashMap<>();
    Map<String, Entry> byWorkKey = new HashMap<>();
    table.scan(
        "`column` = " + InternalTable.literal(column),
        allocator,
        root -> {
          for (int i = 0; i < root.getRowCount(); i++) {
            Entry e = read(root, i);
            byFile.put(e.file(), e);
            byWorkKey.put(e.workKey(), e);
          }
        });
    return new Snapshot(byFile, byWorkKey);
  }

  /** Records entries (one append); they are the truth about their files from now on. */
  public void record(List<Entry> entries, BufferAllocator allocator) {
    if (entries.isEmpty()) {
      return;
    }
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      fill(root, entries);
      table.append(root, allocator);
    }
  }

  /**
   * Rewrites the table when it has many appends, keeping the latest entry of each file that a
   * fragment of the table holds now ({@code liveFiles}), and recent entries of uncommitted files (a
   * rerun may commit them). Entries of replaced files are of no use: planning only looks up the
   * files fragments hold.
   */
  public void compactIfLarge(Set<String> liveFiles, BufferAllocator allocator) {
    if (table.fragmentCount(allocator) <= COMPACT_AFTER_FRAGMENTS) {
      return;
    }
    Map<String, Entry> latest = new java.util.LinkedHashMap<>();
    table.scan(
        null,
        allocator,
        root -> {
          for (int i = 0; i < root.getRowCount(); i++) {
            Entry e = read(root, i);
            latest.put(e.column() + "\u0000" + e.file(), e);
          }
        });
    long cutoff = System.currentTimeMillis() - KEEP_UNCOMMITTED_MILLIS;
    List<Entry> kept = new ArrayList<>();
    for (Entry e : latest.values()) {
      if (liveFiles.contains(e.file()) || e.recordedAt() >= cutoff) {
        kept.add(e);
      }
    }
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      fill(root, kept);
      table.replace(root, allocator);
      LOG.debug("compacted {}: {} of {} entries kept", table.uri(), kept.size(), latest.size());
    } catch (RuntimeException e) {
      LOG.warn("cannot compact {}: {}", table.uri(), e.toString());
    }
  }

  private static void fill(VectorSchemaRoot root, List<Entry> entries) {
    root.allocateNew();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      Cells.setText(root, "column", i, e.column());
      ((IntVector) root.getVector("fragment_id")).setSafe(i, e.fragmentId());
      Cells.setText(root, "file", i, e.file());
      Cells.setText(root, "udf_version", i, e.udfVersion());
      Cells.setText(root, "inputs", i, e.inputs());
      ((BigIntVector) root.getVector("physical_rows")).setSafe(i, e.physicalRows());
      VarBinaryVector slots = (VarBinaryVector) root.getVector("current_slots");
      if (e.currentSlots() == null) {
        slots.setNull(i);
      } else {
        slots.setSafe(i, e.currentSlots());
      }
      Cells.setText(root, "work_key", i, e.workKey());
      Cells.setText(root, "receipt", i, e.receipt());
      Cells.setText(root, "job_id", i, e.jobId());
      ((BigIntVector) root.getVector("recorded_at")).setSafe(i, e.recordedAt());
    }
    for (FieldVector v : root.getFieldVectors()) {
      v.setValueCount(entries.size());
    }
    root.setRowCount(entries.size());
  }

  private static Entry read(VectorSchemaRoot root, int i) {
    VarBinaryVector slots = (VarBinaryVector) root.getVector("current_slots");
    return new Entry(
        Cells.text(root, "column", i),
        ((IntVector) root.getVector("fragment_id")).get(i),
        Cells.text(root, "file", i),
        Cells.text(root, "udf_version", i),
        Cells.text(root, "inputs", i),
        ((BigIntVector) root.getVector("physical_rows")).get(i),
        slots.isNull(i) ? null : slots.get(i),
        Cells.text(root, "work_key", i),
        Cells.text(root, "receipt", i),
        Cells.text(root, "job_id", i),
        ((BigIntVector) root.getVector("recorded_at")).get(i));
  }
}
