package dev.lancet.backfill.compute;

import dev.lancet.udf.arrow.ValidityBits;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/**
 * Runs of a fixed-width column (or a fixed-size list of a fixed-width type: an embedding) copied
 * into a window allocated once for all its rows: values by one memory copy per run, validity bit by
 * bit (or in whole bytes when a run has no nulls), nulls as zeroed slots.
 */
final class FixedWidthRuns {
  private final FieldVector out;
  private final BaseFixedWidthVector values;
  private final int listSize;
  private final int width;
  private int rows;

  /**
   * The last source and whether it (and its values) has no nulls: counting them scans its whole
   * validity. A source keeps its contents while this window is built (a window of the current file,
   * a computed batch), so the answer holds for it.
   */
  private FieldVector counted;

  private boolean rowsAllValid;
  private boolean valuesAllValid;

  private FixedWidthRuns(FieldVector out, BaseFixedWidthVector values, int listSize) {
    this.out = out;
    this.values = values;
    this.listSize = listSize;
    this.width = values.getTypeWidth();
  }

  /**
   * Runs into {@code out} (empty, {@code capacity} rows), or null when its type is not one of
   * these.
   */
  static FixedWidthRuns of(FieldVector out, int capacity) {
    if (out instanceof BitVector) {
      return null; // a bit per value: no byte-wide copies
    }
    if (out instanceof BaseFixedWidthVector v) {
      v.allocateNew(capacity);
      zero(v, capacity);
      return new FixedWidthRuns(out, v, 1);
    }
    if (out instanceof FixedSizeListVector list
        && list.getDataVector() instanceof BaseFixedWidthVector v
        && !(v instanceof BitVector)) {
      list.setInitialCapacity(capacity);
      list.allocateNew();
      while (v.getValueCapacity() < capacity * list.getListSize()) {
        v.reAlloc();
      }
      zero(v, capacity * list.getListSize());
      return new FixedWidthRuns(out, v, list.getListSize());
    }
    return null;
  }

  private static void zero(BaseFixedWidthVector v, int count) {
    MemoryUtil.setMemory(
        v.getDataBuffer().memoryAddress(), (long) count * v.getTypeWidth(), (byte) 0);
  }

  /**
   * Appends rows {@code [from, from + length)} of {@code source}, or {@code length} nulls when it
   * is null.
   */
  void append(FieldVector source, int from, int length) {
    if (source != null) {
      BaseFixedWidthVector src =
          source instanceof FixedSizeListVector l
              ? (BaseFixedWidthVector) l.getDataVector()
              : (BaseFixedWidthVector) source;
      if (source != counted) {
        counted = source;
        rowsAllValid = source.getValueCount() > 0 && source.getNullCount() == 0;
        valuesAllValid = src.getValueCount() > 0 && src.getNullCount() == 0;
      }
      long bytes = (long) length * listSize * width;
      MemoryUtil.copyMemory(
          src.getDataBuffer().memoryAddress() + (long) from * listSize * width,
          values.getDataBuffer().memoryAddress() + (long) rows * listSize * width,
          bytes);
      if (listSize > 1 || out instanceof FixedSizeListVector) {
        ValidityBits.copy(
            source.getValidityBuffer(), from, out.getValidityBuffer(), rows, length, rowsAllValid);
      }
      ValidityBits.copy(
          src.getValidityBuffer(),
          from * listSize,
          values.getValidityBuffer(),
          rows * listSize,
          length * listSize,
          valuesAllValid);
    }
    rows += length;
  }

  void finish() {
    out.setValueCount(rows);
  }
}
