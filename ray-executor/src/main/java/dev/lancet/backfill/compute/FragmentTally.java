package dev.lancet.backfill.compute;

import dev.lancet.backfill.RowError;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.store.ErrorRecords;
import dev.lancet.udf.RowErrors;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Rows computed, reused and failed in one fragment; collects failed rows under on_error = null. */
final class FragmentTally {
  private final boolean collect;
  private final int fragmentId;
  long rows;
  long reused;
  long failed;
  final List<RowError> errors = new ArrayList<>();

  /** Every failed row (up to a bound), for the errors table. */
  final List<RowError> all = new ArrayList<>();

  FragmentTally(boolean collect, int fragmentId) {
    this.collect = collect;
    this.fragmentId = fragmentId;
  }

  /**
   * Where a batch's failed rows go: counted, sampled for the job record, and marked in {@code
   * failedRows} (the batch's row indexes), so they are not taken as computed. Null when errors fail
   * the backfill.
   */
  RowErrors sink(int[] slots, BitSet failedRows) {
    if (!collect) {
      return null;
    }
    return (row, inputs, error, attempts) -> {
      failed++;
      failedRows.set(row);
      RowError e = new RowError(address(slots[row]), inputs, String.valueOf(error), attempts);
      if (errors.size() < FragmentReceipt.MAX_ERRORS) {
        errors.add(e);
      }
      if (all.size() < ErrorRecords.MAX_PER_FRAGMENT) {
        all.add(e);
      }
    };
  }

  long address(int slot) {
    return ((long) fragmentId << 32) | slot;
  }
}
