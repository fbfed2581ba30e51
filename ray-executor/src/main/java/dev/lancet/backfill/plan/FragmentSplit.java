package dev.lancet.backfill.plan;

import java.util.List;

/**
 * A fragment cut into row ranges that different workers compute at once (a fragment of more rows
 * than the job's task size). Each range's task writes and records its own parts under the range's
 * key ({@link #rangeKey}); when every range is done, one more task of the whole fragment (the
 * assembly) finds the ranges' parts, makes them the fragment's column file and returns the
 * fragment's receipt, which is committed as any other.
 *
 * <p>A range with no row to compute (a filter's rerun, rows all current) writes nothing at first:
 * when no range of its fragment wrote anything, the fragment is unchanged and nothing is assembled
 * or committed; when some did, the empty ranges run again with {@code copiesUnchanged} and write
 * their current values as parts, which the assembly needs.
 *
 * @param starts the first slot of each range, ascending, the first 0
 * @param index the range a task computes, or {@link #ASSEMBLY} for the fragment's assembly
 * @param copiesUnchanged whether a range writes its slots as parts even when it computes none
 */
public record FragmentSplit(List<Long> starts, int index, boolean copiesUnchanged) {
  /** The index of the task that assembles the fragment from its ranges' parts. */
  public static final int ASSEMBLY = -1;

  public FragmentSplit {
    starts = List.copyOf(starts);
    if (starts.isEmpty() || starts.get(0) != 0) {
      throw new IllegalArgumentException("a split's first range starts at slot 0: " + starts);
    }
    if (index < ASSEMBLY || index >= starts.size()) {
      throw new IllegalArgumentException("no range " + index + " in " + starts);
    }
  }

  /** Task {@code index} of a fragment cut at {@code starts}, writing nothing when unchanged. */
  public FragmentSplit(List<Long> starts, int index) {
    this(starts, index, false);
  }

  /** The ranges of a fragment of {@code rows} slots, each about {@code size} slots. */
  static List<Long> starts(long rows, long size) {
    int ranges = (int) Math.max(1, (rows + size - 1) / size);
    List<Long> starts = new java.util.ArrayList<>();
    for (int i = 0; i < ranges; i++) {
      starts.add(rows * i / ranges); // even ranges, so none is a sliver
    }
    return starts;
  }

  /** Whether this is one range's task (not the assembly). */
  public boolean isRange() {
    return index != ASSEMBLY;
  }

  /** Number of ranges. */
  public int ranges() {
    return starts.size();
  }

  /** The first slot of range {@code i}. */
  public long start(int i) {
    return starts.get(i);
  }

  /** The slot after range {@code i}: the next range's start, or the fragment's end. */
  public long end(int i, long physicalRows) {
    return i + 1 < starts.size() ? starts.get(i + 1) : physicalRows;
  }

  /** The same split's task of range {@code i} (or {@link #ASSEMBLY}). */
  public FragmentSplit task(int i) {
    return new FragmentSplit(starts, i);
  }

  /** The same range's task, writing its current values as parts when it computes nothing. */
  public FragmentSplit copyingUnchanged() {
    return new FragmentSplit(starts, index, true);
  }

  /**
   * The key range {@code i}'s parts are recorded under: the fragment's work key (which fixes what
   * the values are computed from) and where the range starts. Never holds a '@' otherwise.
   */
  public static String rangeKey(String workKey, long start) {
    return workKey + "@" + start;
  }

  /** Whether a receipt's work key is a range's ({@link #rangeKey}), not a whole fragment's. */
  public static boolean isRangeKey(String workKey) {
    return workKey.indexOf('@') >= 0;
  }
}
