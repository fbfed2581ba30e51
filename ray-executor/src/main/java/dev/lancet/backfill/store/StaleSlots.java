package dev.lancet.backfill.store;

import dev.lancet.backfill.RowState;
import java.util.BitSet;

/**
 * The slots of a column file whose rows hold a value computed under another UDF version or from
 * other inputs, kept when a filtered backfill rewrote the file without computing them: they are
 * stale for that reason, not "never computed".
 *
 * @param state {@link RowState#VERSION_CHANGED} or {@link RowState#INPUT_CHANGED}
 * @param slots Base64 of their bitmap ({@link Slots#encode()})
 */
public record StaleSlots(RowState state, String slots) {
  /**
   * The stale rows a new file keeps: {@code held} (every slot of {@code physicalRows} when {@code
   * all}) but those computed into it ({@code current}); null when none.
   */
  public static StaleSlots kept(
      RowState state, boolean all, Slots held, Slots current, long physicalRows) {
    BitSet kept = all ? new BitSet() : held.toBitSet();
    if (all) {
      kept.set(0, (int) physicalRows);
    }
    kept.andNot(current.toBitSet());
    return kept.isEmpty() ? null : new StaleSlots(state, Slots.of(kept).encode());
  }

  /** The slots. */
  public Slots decoded() {
    return Slots.decode(slots);
  }
}
