package dev.lancet.udf.internal;

import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.ValueVector;

/**
 * Row access without Arrow's per-call checks, for the generated kernels' fixed-width loops. Arrow
 * checks every {@code get} and {@code set} against its buffer's bounds (and every {@code get}
 * against null), which is most of a cheap UDF's time per row; a kernel checks once per batch that
 * the buffers hold its rows ({@link #covers}) and then reads and writes by address. Public only for
 * the generated code, which Janino compiles in the UDF's class loader.
 */
public final class UncheckedVectors {
  private UncheckedVectors() {}

  /**
   * Whether {@code vector} is fixed-width with buffers large enough for rows {@code [0, rows)} of
   * {@code width} bytes: the check {@code get(i)} and {@code set(i, v)} would make on each row.
   */
  public static boolean covers(ValueVector vector, int rows, int width) {
    return vector instanceof BaseFixedWidthVector v
        && rows >= 0
        && v.getDataBuffer().capacity() >= (long) rows * width
        && v.getValidityBuffer().capacity() >= (rows + 7L) / 8;
  }

  /** The address of the vector's values. */
  public static long data(ValueVector vector) {
    return ((BaseFixedWidthVector) vector).getDataBuffer().memoryAddress();
  }

  /** The address of the vector's validity bits. */
  public static long validity(ValueVector vector) {
    return ((BaseFixedWidthVector) vector).getValidityBuffer().memoryAddress();
  }

  /** Whether row {@code i} is null, read from validity bits at {@code validity}. */
  public static boolean isNull(long validity, int i) {
    return (MemoryUtil.getByte(validity + (i >>> 3)) & (1 << (i & 7))) == 0;
  }

  /** Marks row {@code i} valid in the validity bits at {@code validity}. */
  public static void setValid(long validity, int i) {
    long at = validity + (i >>> 3);
    MemoryUtil.putByte(at, (byte) (MemoryUtil.getByte(at) | (1 << (i & 7))));
  }
}
