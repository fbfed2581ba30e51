package dev.lancet.backfill.compute;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.DataFiles;
import dev.lancet.lance.StoredColumn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The column file of a fragment where only some rows are computed (deletions, a filter, rows
 * already current) or whose column sits in a file shared with other columns. It streams in slot
 * order, one window of slots at a time: each slot takes its computed value, else the value the
 * column holds now (read from its current file in the same order), else null. A shared file is
 * rewritten whole, every other column copied through. A sibling group merges each sibling's column
 * the same way, slot by slot together. Memory is a window and a computed batch, whatever the
 * fragment's size.
 */
final class MergingColumnWriter {
  private MergingColumnWriter() {}

  static void write(
      WorkUnit unit,
      StoredColumn stored,
      ComputedRows rows,
      ComputedRows.Batch first,
      RollingParts parts,
      BufferAllocator allocator)
      throws Exception {
    long from = parts.nextSlot();
    long end = unit.endSlot();
    Slots current = unit.fresh();
    int window = WindowSize.rows(parts.fields(), Math.max(1, unit.batchSize()));
    List<Field> outFields = new ArrayList<>();
    for (String name : stored.names()) {
      outFields.add(
          parts.fields().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow());
    }
    int width = outFields.size();
    ComputedRows.Batch batch = first;
    List<FieldVector> computed = batch == null ? null : stored.outputs(batch.values());
    int next = 0; // index in batch of the next computed row
    try (CurrentValues old =
        unit.keepsCurrentValues()
            ? CurrentValues.open(unit, parts, from, window, allocator)
            : null) {
      for (long start = from; start < end; ) {
        VectorSchemaRoot oldRows = old == null ? null : old.next();
        VectorSchemaRoot cut = null; // the current file's window cut at a range's end
        if (oldRows != null && oldRows.getRowCount() > end - start) {
          cut = oldRows.slice(0, (int) (end - start));
          oldRows = cut;
        }
        int n = oldRows != null ? oldRows.getRowCount() : (int) Math.min(window, end - start);
        if (old != null && oldRows == null) {
          throw new BackfillException(
              "fragment "
                  + unit.fragmentId()
                  + ": its column file "
                  + unit.current().path()
                  + " ends at slot "
                  + start
                  + " of "
                  + unit.physicalRows());
        }
        FieldVector[] oldColumns = new FieldVector[width];
        SlotRuns[] runs = new SlotRuns[width];
        try {
          for (int c = 0; c < width; c++) {
            oldColumns[c] = oldRows == null ? null : oldRows.getVector(outFields.get(c).getName());
            runs[c] = new SlotRuns(outFields.get(c), n, allocator);
          }
          for (int k = 0; k < n; k++) {
            int slot = (int) (start + k);
            if (batch != null && batch.slots()[next] == slot) {
              for (int c = 0; c < width; c++) {
                runs[c].add(computed.get(c), next);
              }
              if (!batch.failed().get(next)) {
                parts.markCurrent(slot);
              }
              if (++next == batch.rows()) {
                for (SlotRuns r : runs) {
                  r.flush(); // before the batch's vectors go
                }
                batch.close();
                batch = null;
                computed = null;
                batch = rows.next();
                computed = batch == null ? null : stored.outputs(batch.values());
                next = 0;
              }
            } else {
              for (int c = 0; c < width; c++) {
                runs[c].add(oldColumns[c], k);
              }
              if (oldColumns[0] != null && current.contains(slot)) {
                parts.markCurrent(slot);
              }
            }
          }
          Map<String, FieldVector> out = new HashMap<>();
          for (int c = 0; c < width; c++) {
            out.put(outFields.get(c).getName(), runs[c].finish());
          }
          List<FieldVector> vectors = new ArrayList<>();
          if (unit.current() != null && unit.current().shared()) {
            for (FieldVector v : oldRows.getFieldVectors()) {
              vectors.add(out.getOrDefault(v.getName(), v));
            }
          } else {
            for (Field f : outFields) {
              vectors.add(out.get(f.getName()));
            }
          }
          // Not closed: its vectors belong to the runs and to the file reader.
          parts.write(new VectorSchemaRoot(parts.fields(), vectors, n), start);
        } finally {
          for (SlotRuns r : runs) {
            if (r != null) {
              r.close();
            }
          }
          if (cut != null) {
            cut.close();
          }
        }
        start += n;
        parts.rollIfDue();
      }
      if (batch != null) {
        throw new BackfillException(
            "fragment "
                + unit.fragmentId()
                + ": computed a value for slot "
                + batch.slots()[next]
                + " beyond slot "
                + end);
      }
    } finally {
      if (batch != null) {
        batch.close();
      }
    }
  }

  /** The column's current file, read in slot order from a given slot. */
  private static final class CurrentValues implements AutoCloseable {
    private final FileWindows windows;

    private CurrentValues(FileWindows windows) {
      this.windows = windows;
    }

    static CurrentValues open(
        WorkUnit unit, RollingParts parts, long from, int window, BufferAllocator allocator)
        throws Exception {
      List<String> names = parts.fields().stream().map(Field::getName).toList();
      FileWindows windows =
          new FileWindows(
              DataFiles.dataFileUri(unit.datasetUri(), unit.current().path()),
              unit.storageOptions(),
              names,
              from,
              window,
              allocator);
      if (windows.rows() != unit.physicalRows()) {
        windows.close();
        throw new BackfillException(
            "fragment "
                + unit.fragmentId()
                + ": its column file "
                + unit.current().path()
                + " has "
                + windows.rows()
                + " rows, not the fragment's "
                + unit.physicalRows());
      }
      return new CurrentValues(windows);
    }

    /** The next rows, or null at the end; valid until the next call. */
    VectorSchemaRoot next() throws Exception {
      return windows.next();
    }

    @Override
    public void close() throws Exception {
      windows.close();
    }
  }
}
