package dev.lancet.backfill.compute;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.arrow.vector.util.VectorAppender;

/**
 * Builds a window of a column from runs of values taken from other vectors (computed values, the
 * column's current ones, nulls), slot after slot. Consecutive slots from consecutive rows of the
 * same vector are one run, appended in bulk, so a long run of embeddings costs memory copies, not a
 * copy per float: for fixed-width columns and fixed-size lists of them (embeddings) straight into a
 * window allocated once ({@link FixedWidthRuns}), for the rest a slice appended with {@link
 * VectorAppender}.
 */
final class SlotRuns implements AutoCloseable {
  private final Field field;
  private final BufferAllocator allocator;
  private final FieldVector out;
  private final FieldVector nulls;
  private final VectorAppender appender;
  private final FixedWidthRuns fixed;
  private FieldVector source;
  private int from;
  private int length;

  SlotRuns(Field field, int capacity, BufferAllocator allocator) {
    this.field = field;
    this.allocator = allocator;
    this.out = field.createVector(allocator);
    this.nulls = field.createVector(allocator);
    try {
      out.allocateNew();
      nulls.setInitialCapacity(capacity);
      nulls.allocateNew();
      nulls.setValueCount(capacity); // validity all zero: every slot null
    } catch (RuntimeException e) {
      out.close();
      nulls.close();
      throw e;
    }
    this.appender = new VectorAppender(out);
    this.fixed = FixedWidthRuns.of(out, capacity);
  }

  /**
   * The next slot takes row {@code index} of {@code values}, or null when {@code values} is null.
   */
  void add(FieldVector values, int index) {
    if (length > 0 && values == source && (values == null || index == from + length)) {
      length++;
      return;
    }
    flush();
    source = values;
    from = values == null ? 0 : index;
    length = 1;
  }

  /** Appends the run in progress (before its source vector goes away). */
  void flush() {
    if (length == 0) {
      return;
    }
    if (fixed != null) {
      fixed.append(source, from, length);
      length = 0;
      source = null;
      return;
    }
    FieldVector src = source == null ? nulls : source;
    try (FieldVector piece = field.createVector(allocator)) {
      TransferPair slice = src.makeTransferPair(piece);
      slice.splitAndTransfer(from, length);
      piece.accept(appender, null);
    }
    length = 0;
    source = null;
  }

  /** The window built so far (owned by this object). */
  FieldVector finish() {
    flush();
    if (fixed != null) {
      fixed.finish();
    }
    return out;
  }

  @Override
  public void close() {
    out.close();
    nulls.close();
  }
}
