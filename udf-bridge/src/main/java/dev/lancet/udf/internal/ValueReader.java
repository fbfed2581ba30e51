package dev.lancet.udf.internal;

import dev.lancet.udf.UdfException;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.LargeVarCharVector;
import java.nio.charset.StandardCharsets;

/** Reads one row of an Arrow vector as the Java value a UDF parameter expects (null for null). */
@FunctionalInterface
interface ValueReader {
  Object read(int row);

  /** A reader for {@code vector} that yields values of {@code javaType}, or a failure naming both. */
  static ValueReader of(ValueVector vector, Class<?> javaType, String where) {
    Class<?> boxed = Boxing.box(javaType);
    if (vector instanceof IntVector v && boxed == Integer.class) {
      return row -> v.isNull(row) ? null : v.get(row);
    }
    if (vector instanceof IntVector v && boxed == Long.class) {
      return row -> v.isNull(row) ? null : (long) v.get(row);
    }
    if (vector instanceof BigIntVector v && boxed == Long.class) {
      return row -> v.isNull(row) ? null : v.get(row);
    }
    if (vector instanceof SmallIntVector v && boxed == Short.class) {
      return row -> v.isNull(row) ? null : v.get(row);
    }
    if (vector instanceof TinyIntVector v && boxed == Byte.class) {
      return row -> v.isNull(row) ? null : v.get(row);
    }
    if (vector instanceof Float4Vector v && boxed == Float.class) {
      return row -> v.isNull(row) ? null : v.get(row);
    }
    if (vector instanceof Float4Vector v && boxed == Double.class) {
      return row -> v.isNull(row) ? null : (double) v.get(row);
    }
    if (vector instanceof Float8Vector v && boxed == Double.class) {
      return row -> v.isNull(row) ? null : v.get(row);
    }
    if (vector instanceof BitVector v && boxed == Boolean.class) {
      return row -> v.isNull(row) ? null : v.get(row) != 0;
    }
    if (vector instanceof VarCharVector v && boxed == String.class) {
      return row -> v.isNull(row) ? null : new String(v.get(row), StandardCharsets.UTF_8);
    }
    if (vector instanceof LargeVarCharVector v && boxed == String.class) {
      return row -> v.isNull(row) ? null : new String(v.get(row), StandardCharsets.UTF_8);
    }
    if (vector instanceof VarBinaryVector v && boxed == byte[].class) {
      return row -> v.isNull(row) ? null : v.get(row);
    }
    throw new UdfException(where + ": column '" + vector.getName() + "' has Arrow type "
        + vector.getField().getType() + ", which cannot be passed as " + javaType.getTypeName());
  }
}
