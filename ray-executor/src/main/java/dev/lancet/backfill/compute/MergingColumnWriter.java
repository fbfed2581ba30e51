package dev.lancet.backfill.compute;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.DataFiles;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The column file of a fragment where only some rows are computed (deletions, a filter, rows
 * already current) or whose column sits in a file shared with other columns. It streams in slot
 * order, one window of slots at a time: each slot takes its computed value, else the value the
 * column holds now (read from its current file in the same order), else null. A shared file is
 * rewritten whole, every other column copied through. Memory is a window and a computed batch,
 * whatever the fragment's size.
 */
final class MergingColumnWriter {
  private MergingColumnWriter() {}

  static void write(
      WorkUnit unit,
      Field field,
      ComputedRows rows,
      ComputedRows.Batch first,
      RollingParts parts,
      BufferAllocator allocator)
      throws Exception {
    long from = parts.nextSlot();
    long end = unit.endSlot();
    Slots current = unit.fresh();
    int window = WindowSize.rows(parts.fields(), Math.max(1, unit.batchSize()));
    ComputedRows.Batch batch = first;
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
        FieldVector oldColumn = oldRows == null ? null : oldRows.getVector(field.getName());
        try (SlotRuns runs = new SlotRuns(field, n, allocator)) {
          for (int k = 0; k < n; k++) {
            int slot = (int) (start + k);
            if (batch != null && batch.slots()[next] == slot) {
              runs.add(batch.values(), next);
              if (!batch.failed().get(next)) {
                parts.markCurrent(slot);
              }
              if (++next == batch.rows()) {
                runs.flush(); // before the batch's vectors go
                batch.close();
                batch = null;
                batch = rows.next();
                next = 0;
              }
            } else {
              runs.add(oldColumn, k);
              if (oldColumn != null && current.contains(slot)) {
                parts.markCurrent(slot);
              }
            }
          }
          FieldVector out = runs.finish();
          List<FieldVector> vectors = new ArrayList<>();
          if (unit.current() != null && unit.current().shared()) {
            for (FieldVector v : oldRows.getFieldVectors()) {
              vectors.add(v.getName().equals(field.getName()) ? out : v);
            }
          } else {
            vectors.add(out);
          }
          // Not closed: its vectors belong to the runs and to the file reader.
          parts.write(new VectorSchemaRoot(parts.fields(), vectors, n), start);
        } finally {
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
