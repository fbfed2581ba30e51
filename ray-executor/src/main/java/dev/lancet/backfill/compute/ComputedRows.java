package dev.lancet.backfill.compute;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.backfill.store.ErrorRecords;
import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.udf.ColumnUdf;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.UdfRowException;
import java.util.BitSet;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * The rows of a fragment that need computing, computed batch by batch in physical order: the
 * fragment's rows of its group's scan ({@link GroupScan}: the UDF's inputs, the filter, row
 * addresses), leaving out rows whose value is current, rows before {@code from} (in checkpoint
 * parts of an earlier run) and rows after the unit's range, with the UDF called on the rest. Holds
 * one scanned batch at a time; this is the resumable scan both column writers share.
 */
public final class ComputedRows {

  /**
   * Computed values of consecutive selected rows.
   *
   * @param slots their physical slots, ascending
   * @param values their values (owned by this object)
   * @param failed indexes of rows whose UDF call failed (null in {@code values})
   */
  record Batch(int[] slots, FieldVector values, BitSet failed) implements AutoCloseable {
    int rows() {
      return slots.length;
    }

    @Override
    public void close() {
      values.close();
    }
  }

  private final WorkUnit unit;
  private final ColumnUdf udf;
  private final Slots current;
  private final long from;
  private final long to;
  private final BufferAllocator allocator;
  private final FragmentTally tally;
  private final RowSource scan;
  private long budget; // a pilot's rows still to compute in this fragment

  ComputedRows(
      RowSource scan,
      WorkUnit unit,
      ColumnUdf udf,
      Slots current,
      long from,
      BufferAllocator allocator,
      FragmentTally tally) {
    this.unit = unit;
    this.udf = udf;
    this.current = current;
    this.from = from;
    this.to = unit.endSlot(); // a range's end (its scan is cut there too), else the fragment's
    this.allocator = allocator;
    this.tally = tally;
    this.scan = scan;
    this.budget = unit.maxRows() > 0 ? unit.maxRows() : Long.MAX_VALUE;
  }

  /** The next computed batch, or null when the fragment has no more rows to compute. */
  Batch next() throws Exception {
    while (budget > 0) {
      if (Cancellations.isCancelled(unit.jobId())) {
        throw new dev.lancet.backfill.BackfillCancelledException(
            "column '" + unit.column() + "': backfill job " + unit.jobId() + " was cancelled");
      }
      VectorSchemaRoot batch = scan.next(unit.fragmentId());
      if (batch == null) {
        return null;
      }
      int rows = batch.getRowCount();
      if (rows == 0) {
        continue;
      }
      InFlightRows.add(unit.jobId(), unit.partsKey(), rows);
      UInt8Vector addresses = (UInt8Vector) batch.getVector(LanceDatasets.ROW_ADDRESS);
      long whole = wholeRun(addresses, rows);
      if (whole >= 0 && budget >= rows) {
        budget -= rows;
        int[] batchSlots = new int[rows];
        for (int i = 0; i < rows; i++) {
          batchSlots[i] = (int) whole + i;
        }
        return call(batch, batchSlots);
      }
      int[] selected = new int[rows];
      int[] slots = new int[rows];
      int n = 0;
      for (int i = 0; i < rows; i++) {
        long address = addresses.get(i);
        long slot = address & 0xFFFFFFFFL;
        if ((address >>> 32) != unit.fragmentId() || slot >= unit.physicalRows()) {
          throw new BackfillException(
              "fragment "
                  + unit.fragmentId()
                  + ": row address "
                  + address
                  + " is outside the fragment's "
                  + unit.physicalRows()
                  + " physical rows");
        }
        if (slot >= from && slot < to && !current.contains(slot)) {
          selected[n] = i;
          slots[n] = (int) slot;
          n++;
        }
      }
      if (n == 0) {
        continue;
      }
      n = (int) Math.min(n, budget); // a pilot stops at its limit: later rows keep their values
      budget -= n;
      int[] batchSlots = java.util.Arrays.copyOf(slots, n);
      if (n == rows) {
        return call(batch, batchSlots);
      }
      try (VectorSchemaRoot subset = copyRows(batch, selected, n)) {
        return call(subset, batchSlots);
      }
    }
    return null;
  }

  /**
   * The first slot of a batch whose rows are all to compute, or -1 if some may not be. A fragment's
   * scan returns its rows in ascending address order, so a batch whose first and last addresses are
   * {@code rows - 1} apart in this fragment holds consecutive slots; then one range check against
   * the bounds and the current slots answers for every row, where a cheap UDF would otherwise spend
   * a tenth of its time reading addresses one by one.
   */
  private long wholeRun(UInt8Vector addresses, int rows) {
    long first = addresses.get(0);
    long slot = first & 0xFFFFFFFFL;
    boolean consecutive =
        (first >>> 32) == unit.fragmentId() && addresses.get(rows - 1) - first == rows - 1;
    return consecutive
            && slot >= from
            && slot + rows <= to
            && slot + rows <= unit.physicalRows()
            && current.noneIn(slot, slot + rows)
        ? slot
        : -1;
  }

  /** Calls the UDF on a batch, turning a row's failure into a one-line error naming its row. */
  private Batch call(VectorSchemaRoot input, int[] slots) {
    BitSet failed = new BitSet();
    FieldVector values;
    try {
      values = udf.compute(input, unit.column(), allocator, tally.sink(slots, failed));
    } catch (UdfRowException e) {
      long address = tally.address(slots[e.rowInBatch()]);
      ErrorRecords.record(
          unit.table(),
          unit.jobId(),
          unit.column(),
          unit.fragmentId(),
          List.of(
              new dev.lancet.backfill.RowError(
                  address, e.inputValues(), String.valueOf(e.getCause()), e.attempts())));
      throw new BackfillException(
          ErrorCode.LANCET_UDF_FAILED,
          "column '"
              + unit.column()
              + "': "
              + e.getMessage()
              + " at row address "
              + address
              + " (fragment "
              + unit.fragmentId()
              + ", row "
              + slots[e.rowInBatch()]
              + ")",
          e.getCause());
    }
    tally.rows += slots.length;
    return new Batch(slots, values, failed);
  }

  /** The selected rows of {@code batch}, copied into new vectors. */
  private VectorSchemaRoot copyRows(VectorSchemaRoot batch, int[] selected, int n) {
    List<FieldVector> copies = new java.util.ArrayList<>();
    try {
      for (FieldVector v : batch.getFieldVectors()) {
        FieldVector copy = v.getField().createVector(allocator);
        copies.add(copy);
        copy.setInitialCapacity(n);
        copy.allocateNew();
        TransferPair pair = v.makeTransferPair(copy);
        for (int k = 0; k < n; k++) {
          pair.copyValueSafe(selected[k], k);
        }
        copy.setValueCount(n);
      }
    } catch (RuntimeException e) {
      copies.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(copies.stream().map(FieldVector::getField).toList(), copies, n);
  }
}
