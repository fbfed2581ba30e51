package dev.lancet.udf.internal;

import dev.lancet.udf.UdfException;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/** Writes a UDF's Java result into one slot of the output vector (null writes a null). */
@FunctionalInterface
interface ValueWriter {
  void write(int row, Object value);

  static ValueWriter of(FieldVector out) {
    if (out instanceof IntVector v) {
      return (row, value) -> { if (value == null) v.setNull(row); else v.setSafe(row, (Integer) value); };
    }
    if (out instanceof BigIntVector v) {
      return (row, value) -> { if (value == null) v.setNull(row); else v.setSafe(row, (Long) value); };
    }
    if (out instanceof SmallIntVector v) {
      return (row, value) -> { if (value == null) v.setNull(row); else v.setSafe(row, (Short) value); };
    }
    if (out instanceof TinyIntVector v) {
      return (row, value) -> { if (value == null) v.setNull(row); else v.setSafe(row, (Byte) value); };
    }
    if (out instanceof Float4Vector v) {
      return (row, value) -> { if (value == null) v.setNull(row); else v.setSafe(row, (Float) value); };
    }
    if (out instanceof Float8Vector v) {
      return (row, value) -> { if (value == null) v.setNull(row); else v.setSafe(row, (Double) value); };
    }
    if (out instanceof BitVector v) {
      return (row, value) -> { if (value == null) v.setNull(row); else v.setSafe(row, ((Boolean) value) ? 1 : 0); };
    }
    if (out instanceof VarCharVector v) {
      return (row, value) -> {
        if (value == null) v.setNull(row); else v.setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
      };
    }
    if (out instanceof VarBinaryVector v) {
      return (row, value) -> { if (value == null) v.setNull(row); else v.setSafe(row, (byte[]) value); };
    }
    throw new UdfException("output column '" + out.getName() + "' has unsupported Arrow type " + out.getField().getType());
  }
}
