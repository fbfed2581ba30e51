package dev.lancet.backfill.plan;

import dev.lancet.lance.ColumnFile;

/**
 * One fragment's own part of a backfill job: what differs from fragment to fragment ({@link
 * JobContext} holds the rest).
 *
 * @param fragmentId the fragment to compute
 * @param physicalRows rows in the fragment's data files, deleted ones included
 * @param liveRows rows not deleted
 * @param workKey hash of what determines this fragment's result (UDF version, the fragment's input
 *     files and column file, the current slots, the filter): checkpoints are kept under it
 * @param current the file holding the column's values now, or null when the fragment has none
 * @param currentSlots Base64 bitmap of the slots whose value is current for this UDF version (not
 *     computed again), or null for none
 * @param split the fragment's row ranges and which of them this work is (or its assembly), or null
 *     when one task computes the whole fragment
 * @param maxRows a pilot run's most rows to compute in this fragment (the first ones the scan
 *     returns), or 0 for all
 */
public record FragmentWork(
    int fragmentId,
    long physicalRows,
    long liveRows,
    String workKey,
    ColumnFile current,
    String currentSlots,
    FragmentSplit split,
    long maxRows) {

  /** The same fragment's work as the task {@code split} names. */
  FragmentWork withSplit(FragmentSplit newSplit) {
    return new FragmentWork(
        fragmentId, physicalRows, liveRows, workKey, current, currentSlots, newSplit, maxRows);
  }
}
