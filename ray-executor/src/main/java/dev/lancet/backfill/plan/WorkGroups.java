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
      if (u.physicalRows() >= target) {
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
