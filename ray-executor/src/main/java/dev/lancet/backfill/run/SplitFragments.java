package dev.lancet.backfill.run;

import dev.lancet.backfill.RowError;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.plan.WorkGroups;
import dev.lancet.backfill.plan.WorkUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A round's fragments cut into row ranges: which ranges have returned and whether they wrote parts,
 * what each fragment needs as soon as its last range is back (nothing, its empty ranges' values
 * copied, or its assembly, which the round's queue takes behind the next fragment's ranges), and
 * the fragment's receipt with its ranges' rows counted in (the assembly itself computes nothing
 * when every range is whole, so its own counts would say nothing).
 *
 * <p>A range with no row to compute writes nothing ({@link
 * dev.lancet.backfill.plan.FragmentSplit}): a fragment none of whose ranges wrote is unchanged, as
 * a whole fragment with nothing to compute is, and no version is made for it.
 */
final class SplitFragments {
  /** Per split fragment, its range units in order. */
  private final Map<Integer, List<WorkUnit>> fragments = new LinkedHashMap<>();

  /** Per split fragment, its ranges' latest receipts by range key. */
  private final Map<Integer, Map<String, FragmentReceipt>> done = new HashMap<>();

  /** Fragments whose assembly is due or that are unchanged: nothing more is asked of them. */
  private final Set<Integer> resolved = new HashSet<>();

  /** Fragments whose empty ranges run again to copy their values. */
  private final Set<Integer> copying = new HashSet<>();

  SplitFragments(List<WorkUnit> units) {
    for (WorkUnit u : units) {
      if (u.isRange()) {
        fragments.computeIfAbsent(u.fragmentId(), f -> new ArrayList<>()).add(u);
      }
    }
  }

  /** A range's receipt (a range run again to copy its values replaces its first). */
  void rangeDone(FragmentReceipt r) {
    done.computeIfAbsent(r.fragmentId(), f -> new LinkedHashMap<>()).put(r.workKey(), r);
  }

  /**
   * Whether a range's receipt says it wrote parts (a range with nothing to compute writes none).
   */
  private static boolean wroteParts(FragmentReceipt range) {
    return range.checkpointed();
  }

  /**
   * What a split fragment needs next, once a range of it has returned.
   *
   * @param tasks its empty ranges to run again copying their values, or its assembly, or none
   * @param unchanged its receipt when none of its ranges wrote anything (nothing to commit), or
   *     null
   */
  record Next(List<WorkUnit> tasks, FragmentReceipt unchanged) {
    static final Next WAIT = new Next(List.of(), null);
  }

  /**
   * What fragment {@code id} needs now that one more of its ranges returned: nothing until all
   * have; then, when none wrote a part, nothing more (it is unchanged); when some did not, they run
   * again copying their current values; when all did, its assembly. Each once.
   */
  Next afterRange(int id) {
    List<WorkUnit> ranges = fragments.get(id);
    Map<String, FragmentReceipt> receipts = done.getOrDefault(id, Map.of());
    if (ranges == null || receipts.size() != ranges.size() || resolved.contains(id)) {
      return Next.WAIT;
    }
    long wrote = receipts.values().stream().filter(SplitFragments::wroteParts).count();
    if (wrote == 0) {
      resolved.add(id);
      WorkUnit any = ranges.get(0);
      return new Next(
          List.of(),
          whole(
              FragmentReceipt.unchanged(
                  id, any.workKey(), any.physicalRows(), any.currentSlots())));
    }
    if (wrote == ranges.size()) {
      resolved.add(id);
      return new Next(List.of(WorkGroups.assembly(ranges.get(0))), null);
    }
    if (!copying.add(id)) {
      return Next.WAIT; // its copies are running
    }
    return new Next(
        ranges.stream()
            .filter(r -> !wroteParts(receipts.get(r.partsKey())))
            .map(WorkGroups::copyingUnchanged)
            .toList(),
        null);
  }

  /**
   * The split fragments neither due for assembly nor found unchanged: none when the round's tasks
   * all ran (a fragment with ranges missing cannot be assembled).
   */
  List<Integer> unresolved() {
    return fragments.keySet().stream().filter(id -> !resolved.contains(id)).toList();
  }

  /** A whole fragment's receipt: a split fragment's with its ranges' rows counted in. */
  FragmentReceipt whole(FragmentReceipt r) {
    Map<String, FragmentReceipt> ranges = done.get(r.fragmentId());
    if (ranges == null || !fragments.containsKey(r.fragmentId())) {
      return r;
    }
    long computed = r.rowsComputed();
    long reused = r.rowsReused();
    long failed = r.rowsFailed();
    List<RowError> errors = new ArrayList<>(r.counts().errors());
    for (FragmentReceipt range : ranges.values()) {
      computed += range.rowsComputed();
      reused += range.rowsReused();
      failed += range.rowsFailed();
      for (RowError e : range.counts().errors()) {
        if (errors.size() < FragmentReceipt.MAX_ERRORS) {
          errors.add(e);
        }
      }
    }
    return r.withCounts(new FragmentReceipt.RowCounts(computed, reused, failed, errors));
  }
}
