package dev.lancet.backfill;

import java.util.EnumMap;
import java.util.Map;

/**
 * A virtual column's live rows (or those a filter selects) by {@link RowState}. The rows not
 * current are exactly those a backfill over the same rows computes, checkpoints of an unfinished
 * run aside.
 *
 * @param counts rows by state; every state is present
 */
public record RowFreshness(Map<RowState, Long> counts) {
  /** No rows. */
  public static final RowFreshness NONE = new RowFreshness(new EnumMap<>(RowState.class));

  public RowFreshness {
    EnumMap<RowState, Long> all = new EnumMap<>(RowState.class);
    for (RowState s : RowState.values()) {
      all.put(s, counts.getOrDefault(s, 0L));
    }
    counts = java.util.Collections.unmodifiableMap(all);
  }

  /** Rows in {@code state}. */
  public long rows(RowState state) {
    return counts.get(state);
  }

  /** Every row counted. */
  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  public long current() {
    return rows(RowState.CURRENT);
  }

  /** Rows a backfill would compute: every state but {@link RowState#CURRENT}. */
  public long toCompute() {
    return total() - current();
  }

  /** Rows no backfill has computed: {@link RowState#NEW} and {@link RowState#FILTERED_OUT}. */
  public long neverComputed() {
    return rows(RowState.NEW) + rows(RowState.FILTERED_OUT);
  }
}
