package dev.lancet.backfill.plan;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;

/**
 * A 128-bit hash (two independent 64-bit FNV-1a streams) of a row's values, from their bytes: the
 * data buffer's bytes for fixed and variable width values, the value's text for nested ones. Each
 * value is preceded by a marker of null, and by its length, so values never run together.
 */
final class RowHash {
  private static final long PRIME = 0x100000001b3L;
  private long first;
  private long second;

  RowHash() {
    reset();
  }

  void reset() {
    first = 0xcbf29ce484222325L;
    second = 0x84222325cbf29ce4L;
  }

  long first() {
    return first;
  }

  long second() {
    return second;
  }

  void add(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      mix(0x7f);
      return;
    }
    mix(0x01);
    if (vector instanceof BitVector bits) {
      mix(bits.get(row));
    } else if (vector instanceof BaseFixedWidthVector fixed) {
      int width = fixed.getTypeWidth();
      ArrowBuf data = fixed.getDataBuffer();
      long start = (long) row * width;
      mixLength(width);
      for (int k = 0; k < width; k++) {
        mix(data.getByte(start + k));
      }
    } else if (vector instanceof BaseVariableWidthVector variable) {
      mixBytes(variable.get(row));
    } else if (vector instanceof BaseLargeVariableWidthVector variable) {
      mixBytes(variable.get(row));
    } else {
      mixBytes(String.valueOf(vector.getObject(row)).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void mixBytes(byte[] bytes) {
    mixLength(bytes.length);
    for (byte b : bytes) {
      mix(b);
    }
  }

  private void mixLength(int length) {
    mix(length);
    mix(length >>> 8);
    mix(length >>> 16);
    mix(length >>> 24);
  }

  private void mix(int b) {
    first = (first ^ (b & 0xff)) * PRIME;
    second = (second ^ ((b & 0xff) + 0x9e)) * PRIME * 31;
  }
}
