package dev.lancet.backfill.compute;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.lance.StoredColumn;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The column file of a fragment whose every physical row is computed, in order (no deletions, no
 * filter, nothing current): each computed batch is the next slice of the file and is written
 * straight to it (zero-copy), so the fragment is never held in memory whole. A sibling group's
 * struct values go to the file as its fields' columns.
 */
final class DenseColumnWriter {
  private DenseColumnWriter() {}

  /**
   * Writes the computed batches (the first one given) to {@code parts}, from slot {@code
   * parts.nextSlot()} to the unit's end.
   */
  static void write(
      WorkUnit unit,
      StoredColumn stored,
      ComputedRows rows,
      ComputedRows.Batch first,
      RollingParts parts,
      BufferAllocator allocator)
      throws Exception {
    long position = parts.nextSlot();
    ComputedRows.Batch batch = first;
    while (batch != null) {
      try (ComputedRows.Batch b = batch) {
        int n = b.rows();
        if (b.slots()[0] != position || b.slots()[n - 1] != position + n - 1) {
          throw new BackfillException(
              "fragment "
                  + unit.fragmentId()
                  + ": the scan returned slot "
                  + b.slots()[0]
                  + " where slot "
                  + position
                  + " was expected");
        }
        List<Field> fields = parts.fields();
        List<FieldVector> outputs = stored.outputs(b.values());
        List<FieldVector> columns = new ArrayList<>();
        try {
          for (int i = 0; i < fields.size(); i++) {
            FieldVector column = fields.get(i).createVector(allocator);
            columns.add(column);
            outputs.get(i).makeTransferPair(column).splitAndTransfer(0, n);
          }
          try (VectorSchemaRoot root = new VectorSchemaRoot(fields, columns, n)) {
            parts.write(root, position);
          }
        } finally {
          AutoCloseables.close(columns);
        }
        markComputed(parts, b, (int) position);
        position += n;
      }
      parts.rollIfDue();
      batch = rows.next();
    }
    if (position != unit.endSlot()) {
      throw new BackfillException(
          "fragment "
              + unit.fragmentId()
              + ": the scan ended at slot "
              + position
              + ", not "
              + unit.endSlot());
    }
  }

  private static void markComputed(RollingParts parts, ComputedRows.Batch b, int first) {
    if (b.failed().isEmpty()) {
      parts.markCurrent(first, first + b.rows());
      return;
    }
    for (int k = 0; k < b.rows(); k++) {
      if (!b.failed().get(k)) {
        parts.markCurrent(first + k);
      }
    }
  }
}
