package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.RowError;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.plan.WorkGroups;
import dev.lancet.backfill.plan.WorkUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A round's fragments cut into row ranges: which ranges have returned, when each fragment's
 * assembly may run, and the fragment's receipt with its ranges' rows counted in (the assembly
 * itself computes nothing when every range is whole, so its own counts would say nothing).
 */
final class SplitFragments {
  /** Per split fragment, one of its range units (they share the split) . */
  private final Map<Integer, WorkUnit> fragments = new LinkedHashMap<>();

  private final Map<Integer, List<FragmentReceipt>> done = new HashMap<>();

  SplitFragments(List<WorkUnit> units) {
    for (WorkUnit u : units) {
      if (u.isRange()) {
        fragments.putIfAbsent(u.fragmentId(), u);
      }
    }
  }

  /** A range's receipt. */
  void rangeDone(FragmentReceipt r) {
    done.computeIfAbsent(r.fragmentId(), f -> new ArrayList<>()).add(r);
  }

  /**
   * The assembly of every split fragment, once all its ranges have returned: called after the
   * round's tasks ended without a failure, when they all have.
   */
  List<WorkUnit> assemblies() {
    List<WorkUnit> out = new ArrayList<>();
    fragments.forEach(
        (id, range) -> {
          int returned = done.getOrDefault(id, List.of()).size();
          if (returned != range.split().ranges()) {
            throw new BackfillException(
                "fragment "
                    + id
                    + ": "
                    + returned
                    + " of its "
                    + range.split().ranges()
                    + " row ranges returned, so it cannot be assembled");
          }
          out.add(WorkGroups.assembly(range));
        });
    return out;
  }

  /** A whole fragment's receipt: a split fragment's with its ranges' rows counted in. */
  FragmentReceipt whole(FragmentReceipt r) {
    List<FragmentReceipt> ranges = done.get(r.fragmentId());
    if (ranges == null || !fragments.containsKey(r.fragmentId())) {
      return r;
    }
    long computed = r.rowsComputed();
    long reused = r.rowsReused();
    long failed = r.rowsFailed();
    List<RowError> errors = new ArrayList<>(r.counts().errors());
    for (FragmentReceipt range : ranges) {
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

  /** Whether the round has split fragments. */
  boolean any() {
    return !fragments.isEmpty();
  }
}
