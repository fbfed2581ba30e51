package dev.lancet.backfill.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a plan's units into work groups: consecutive fragments smaller than the group size go
 * together until a group holds about that many rows; larger fragments go alone. The group size
 * shrinks for small jobs so every worker still gets several groups to balance the load.
 */
public final class WorkGroups {
  /** Rows a group of small fragments holds at most: a few batches, well under a second of work. */
  static final long GROUP_ROWS = 65_536;

  /** Fragments per group at most, bounding what one worker call returns. */
  static final int MAX_UNITS = 512;

  /** Groups per worker at least, when the job is small, so the load balances. */
  private static final int GROUPS_PER_WORKER = 4;

  private WorkGroups() {}

  /**
   * Rows a fragment holds at least before the default task size cuts it into ranges: a range's task
   * costs a scan, a task and its parts' assembly, worth it from a few thousand rows of even a cheap
   * UDF, and an expensive UDF's rows are what splitting is for.
   */
  static final long MIN_TASK_ROWS = 1024;

  /**
   * Seconds of work a task of the default size holds at least, when the UDF's speed is known: a
   * range costs its own task, parts and a share of the assembly's second write (tens of
   * milliseconds), which only work of this length pays back.
   */
  static final double MIN_TASK_SECONDS = 0.5;

  /**
   * The rows one task computes at most: {@code taskSize} when given (greater than 0), else about a
   * quarter of each worker's share of the job, and never under {@link #MIN_TASK_ROWS}.
   */
  public static long taskSize(List<WorkUnit> units, int workers, long taskSize) {
    return taskSize(units, workers, taskSize, 0);
  }

  /**
   * {@link #taskSize(List, int, long)}, with the default never under {@link #MIN_TASK_SECONDS} of
   * work at {@code rowsPerSecondPerWorker} (the UDF's measured speed; 0 when unknown): a cheap
   * UDF's fragment is split only when its work is long enough to gain from it.
   */
  public static long taskSize(
      List<WorkUnit> units, int workers, long taskSize, double rowsPerSecondPerWorker) {
    if (taskSize > 0) {
      return taskSize;
    }
    long total = units.stream().mapToLong(WorkUnit::physicalRows).sum();
    long share = total / ((long) Math.max(1, workers) * GROUPS_PER_WORKER);
    long worthIt = (long) Math.min(Long.MAX_VALUE / 2.0, rowsPerSecondPerWorker * MIN_TASK_SECONDS);
    return Math.max(MIN_TASK_ROWS, Math.max(share, worthIt));
  }

  /** Whether a task size of {@code taskSize} rows cuts any of {@code units} into ranges. */
  public static boolean splitsAny(List<WorkUnit> units, long taskSize) {
    return units.stream().anyMatch(u -> u.physicalRows() > taskSize);
  }

  /**
   * The plan's units with each fragment of more than {@code taskSize} rows replaced by its row
   * ranges ({@link FragmentSplit}): tasks that different workers compute at once.
   */
  public static List<WorkUnit> split(List<WorkUnit> units, long taskSize) {
    List<WorkUnit> out = new ArrayList<>();
    for (WorkUnit u : units) {
      if (u.physicalRows() <= taskSize) {
        out.add(u);
        continue;
      }
      List<Long> starts = FragmentSplit.starts(u.physicalRows(), taskSize);
      for (int i = 0; i < starts.size(); i++) {
        out.add(u.withSplit(new FragmentSplit(starts, i)));
      }
    }
    return out;
  }

  /**
   * The same range's task, writing its current values as parts even when it computes nothing (its
   * fragment's other ranges changed some).
   */
  public static WorkUnit copyingUnchanged(WorkUnit range) {
    return range.withSplit(range.split().copyingUnchanged());
  }

  /** The task that assembles a split fragment once its ranges are done (any of them given). */
  public static WorkUnit assembly(WorkUnit range) {
    return range.withSplit(range.split().task(FragmentSplit.ASSEMBLY));
  }

  /** The groups of a plan's {@code units}, for {@code workers} workers. */
  public static List<WorkGroup> of(List<WorkUnit> units, int workers) {
    long total = units.stream().mapToLong(WorkUnit::physicalRows).sum();
    long target =
        Math.max(
            1, Math.min(GROUP_ROWS, total / ((long) Math.max(1, workers) * GROUPS_PER_WORKER)));
    List<WorkGroup> groups = new ArrayList<>();
    List<WorkUnit> current = new ArrayList<>();
    long rows = 0;
    for (WorkUnit u : units) {
      if (u.physicalRows() >= target || u.split() != null) { // a range or an assembly goes alone
        groups.add(WorkGroup.of(List.of(u)));
        continue;
      }
      if (!current.isEmpty() && (rows + u.physicalRows() > target || current.size() >= MAX_UNITS)) {
        groups.add(WorkGroup.of(current));
        current = new ArrayList<>();
        rows = 0;
      }
      current.add(u);
      rows += u.physicalRows();
    }
    if (!current.isEmpty()) {
      groups.add(WorkGroup.of(current));
    }
    return groups;
  }
}
