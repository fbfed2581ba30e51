package dev.lancet.backfill.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** A slot set's range question, which lets a whole batch skip the per-row check. */
class SlotsTest {
  @Test
  void noneInAnswersForTheHalfOpenRangeOnly() {
    BitSet bits = new BitSet();
    bits.set(10);
    bits.set(20);
    Slots slots = Slots.of(bits);
    assertTrue(slots.noneIn(0, 10), "10 is the range's end, not in it");
    assertFalse(slots.noneIn(0, 11));
    assertTrue(slots.noneIn(11, 20));
    assertFalse(slots.noneIn(15, 25));
    assertTrue(slots.noneIn(21, 1_000_000));
    assertTrue(Slots.none().noneIn(0, Long.MAX_VALUE));
    assertTrue(slots.noneIn(Integer.MAX_VALUE + 1L, Long.MAX_VALUE), "beyond any int slot");
  }
}
