package dev.lancet.udf.internal;

import dev.lancet.udf.arrow.ValidityBits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;

/**
 * Java primitive arrays to and from the data vector of an Arrow list, in bulk: one memory copy and
 * whole validity bytes instead of a bounds-checked call per element (an embedding is 1536 floats a
 * row; per-element copying was a quarter of a backfill's time).
 */
final class PrimitiveArrays {
  private PrimitiveArrays() {}

  /** Whether {@code array} is an array this class copies and {@code data} the vector it fits. */
  static boolean fits(Object array, Object data) {
    return array != null && fits(array.getClass(), data);
  }

  /** Whether arrays of {@code arrayType} are copied to and from {@code data} in bulk. */
  static boolean fits(Class<?> arrayType, Object data) {
    return (arrayType == float[].class && data instanceof Float4Vector)
        || (arrayType == double[].class && data instanceof Float8Vector)
        || (arrayType == int[].class && data instanceof IntVector)
        || (arrayType == long[].class && data instanceof BigIntVector);
  }

  /** Writes {@code n} elements of {@code array} at {@code start} of {@code data}, all valid. */
  static void write(BaseFixedWidthVector data, int start, Object array, int n) {
    while (data.getValueCapacity() < start + n) {
      data.reAlloc();
    }
    ArrowBuf values = data.getDataBuffer();
    int width = data.getTypeWidth();
    ByteBuffer target =
        MemoryUtil.directBuffer(values.memoryAddress() + (long) start * width, n * width)
            .order(ByteOrder.LITTLE_ENDIAN);
    if (array instanceof float[] a) {
      target.asFloatBuffer().put(a, 0, n);
    } else if (array instanceof double[] a) {
      target.asDoubleBuffer().put(a, 0, n);
    } else if (array instanceof int[] a) {
      target.asIntBuffer().put(a, 0, n);
    } else if (array instanceof long[] a) {
      target.asLongBuffer().put(a, 0, n);
    } else {
      throw new IllegalArgumentException("not a primitive array: " + array.getClass());
    }
    ValidityBits.setRange(data.getValidityBuffer(), start, n);
  }

  /**
   * The {@code n} elements from {@code start} of {@code data} as a new array of {@code type}, or
   * null if one is null.
   */
  static Object read(BaseFixedWidthVector data, int start, int n, Class<?> type) {
    if (!ValidityBits.allSet(data.getValidityBuffer(), start, n)) {
      return null;
    }
    int width = data.getTypeWidth();
    ByteBuffer source =
        MemoryUtil.directBuffer(
                data.getDataBuffer().memoryAddress() + (long) start * width, n * width)
            .order(ByteOrder.LITTLE_ENDIAN);
    if (type == float[].class) {
      float[] a = new float[n];
      source.asFloatBuffer().get(a);
      return a;
    }
    if (type == double[].class) {
      double[] a = new double[n];
      source.asDoubleBuffer().get(a);
      return a;
    }
    if (type == int[].class) {
      int[] a = new int[n];
      source.asIntBuffer().get(a);
      return a;
    }
    long[] a = new long[n];
    source.asLongBuffer().get(a);
    return a;
  }
}
