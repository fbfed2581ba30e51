package dev.lancet.udf.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Arrow validity bitmaps in bulk: ranges set in whole bytes where they can be, ranges tested and
 * copied bit by bit. Shared by the list codec ({@link PrimitiveArrays}) and the engine's window
 * builder, which both move embeddings a run of rows at a time.
 */
public final class ValidityBits {
  private ValidityBits() {}

  /**
   * Sets bits {@code [from, from + count)}: the edges bit by bit, the whole bytes between at once.
   */
  public static void setRange(ArrowBuf validity, int from, int count) {
    int i = from;
    int end = from + count;
    for (; i < end && (i & 7) != 0; i++) {
      set(validity, i);
    }
    int wholeBytes = (end - i) >>> 3;
    if (wholeBytes > 0) {
      MemoryUtil.setMemory(validity.memoryAddress() + (i >>> 3), wholeBytes, (byte) 0xFF);
      i += wholeBytes << 3;
    }
    for (; i < end; i++) {
      set(validity, i);
    }
  }

  /** Sets one bit. */
  public static void set(ArrowBuf validity, int bit) {
    long at = bit >>> 3;
    validity.setByte(at, validity.getByte(at) | (1 << (bit & 7)));
  }

  /** Whether bit {@code bit} is set. */
  public static boolean isSet(ArrowBuf validity, int bit) {
    return (validity.getByte(bit >>> 3) & (1 << (bit & 7))) != 0;
  }

  /** Whether every bit of {@code [from, from + count)} is set. */
  public static boolean allSet(ArrowBuf validity, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (!isSet(validity, i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sets in {@code to} the bits of {@code [toBit, toBit + count)} whose counterparts from {@code
   * fromBit} are set in {@code from} (the target's bits start unset); {@code allSet} when the
   * caller knows the source has none unset, so the range is set in whole bytes.
   */
  public static void copy(
      ArrowBuf from, int fromBit, ArrowBuf to, int toBit, int count, boolean allSet) {
    if (allSet) {
      setRange(to, toBit, count);
      return;
    }
    for (int k = 0; k < count; k++) {
      if (isSet(from, fromBit + k)) {
        set(to, toBit + k);
      }
    }
  }
}
