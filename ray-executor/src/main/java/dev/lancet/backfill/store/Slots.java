package dev.lancet.backfill.store;

import java.util.Base64;
import java.util.BitSet;

/**
 * A set of a fragment's physical row slots ({@code _rowaddr & 0xFFFFFFFF}), such as the slots whose
 * value is current for the UDF version. Immutable; travels as Base64 in work units and receipts and
 * as bytes in the state table.
 */
public final class Slots {
  private static final Slots NONE = new Slots(new BitSet());
  private final BitSet bits;

  private Slots(BitSet bits) {
    this.bits = bits;
  }

  public static Slots none() {
    return NONE;
  }

  /** A copy of {@code bits}. */
  public static Slots of(BitSet bits) {
    return new Slots((BitSet) bits.clone());
  }

  /** The slots of {@link #encode()}; null or empty reads as none. */
  public static Slots decode(String base64) {
    return base64 == null || base64.isEmpty()
        ? NONE
        : new Slots(BitSet.valueOf(Base64.getDecoder().decode(base64)));
  }

  public static Slots fromBytes(byte[] bytes) {
    return bytes == null ? NONE : new Slots(BitSet.valueOf(bytes));
  }

  /** Base64 of the bitmap, or null when empty. */
  public String encode() {
    return bits.isEmpty() ? null : Base64.getEncoder().encodeToString(bits.toByteArray());
  }

  /**
   * Base64 of the bitmap, empty (not null) when the set is empty: for receipts, parts and state,
   * where null means "every live row".
   */
  public String encodeKeepingEmpty() {
    return Base64.getEncoder().encodeToString(bits.toByteArray());
  }

  public byte[] bytes() {
    return bits.toByteArray();
  }

  public boolean contains(long slot) {
    return slot <= Integer.MAX_VALUE && bits.get((int) slot);
  }

  /** Whether no slot in {@code [from, to)} is in the set. */
  public boolean noneIn(long from, long to) {
    if (from >= Integer.MAX_VALUE) {
      return true;
    }
    int next = bits.nextSetBit((int) Math.max(0, from));
    return next < 0 || next >= to;
  }

  public boolean isEmpty() {
    return bits.isEmpty();
  }

  public int count() {
    return bits.cardinality();
  }

  /** Whether every slot in {@code [0, size)} is in the set. */
  public boolean coversAll(long size) {
    return bits.nextClearBit(0) >= size;
  }

  /** A mutable copy, for building the set after a computation. */
  public BitSet toBitSet() {
    return (BitSet) bits.clone();
  }
}
