package dev.lancet.backfill.plan;

import dev.lancet.backfill.RowState;
import dev.lancet.backfill.store.Slots;
import dev.lancet.backfill.store.StaleSlots;

/**
 * The rows of a fragment's column file that hold a value of an older UDF version or of other
 * inputs: stale for that reason.
 *
 * @param state {@link RowState#VERSION_CHANGED} or {@link RowState#INPUT_CHANGED}
 * @param all whether every row does (else those of {@code slots})
 * @param slots the rows' slots
 */
public record HeldValues(RowState state, boolean all, Slots slots) {
  /** Whether the row at {@code slot} is one. */
  boolean holds(long slot) {
    return all || slots.contains(slot);
  }

  /**
   * What a new file of the fragment keeps of them when it was computed without them: those not in
   * {@code currentSlots} (Base64; null means every live row, so none is kept).
   */
  public StaleSlots keptBy(String currentSlots, long physicalRows) {
    return currentSlots == null
        ? null
        : StaleSlots.kept(state, all, slots, Slots.decode(currentSlots), physicalRows);
  }
}
