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
 * A round's fragments cut into row ranges: which ranges have returned and whether they wrote parts,
 * what each fragment needs next (nothing, its empty ranges' values copied, or its assembly), and
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
   * The ranges that wrote nothing, of fragments whose other ranges wrote parts: run again copying
   * their current values, which the assembly needs. Called once every range has returned.
   */
  List<WorkUnit> copies() {
    List<WorkUnit> out = new ArrayList<>();
    fragments.forEach(
        (id, ranges) -> {
          Map<String, FragmentReceipt> receipts = returned(id, ranges);
          if (receipts.values().stream().anyMatch(SplitFragments::wroteParts)) {
            for (WorkUnit range : ranges) {
              if (!wroteParts(receipts.get(range.partsKey()))) {
                out.add(WorkGroups.copyingUnchanged(range));
              }
            }
          }
        });
    return out;
  }

  /**
   * The receipts of the fragments none of whose ranges wrote anything: unchanged, not committed.
   */
  List<FragmentReceipt> unchanged() {
    List<FragmentReceipt> out = new ArrayList<>();
    fragments.forEach(
        (id, ranges) -> {
          if (returned(id, ranges).values().stream().noneMatch(SplitFragments::wroteParts)) {
            WorkUnit any = ranges.get(0);
            out.add(
                whole(
                    FragmentReceipt.unchanged(
                        id, any.workKey(), any.physicalRows(), any.currentSlots())));
          }
        });
    return out;
  }

  /**
   * The assembly of every split fragment whose ranges wrote parts, once all of them have: called
   * after the round's tasks (and the copies) ended without a failure.
   */
  List<WorkUnit> assemblies() {
    List<WorkUnit> out = new ArrayList<>();
    fragments.forEach(
        (id, ranges) -> {
          Map<String, FragmentReceipt> receipts = returned(id, ranges);
          long wrote = receipts.values().stream().filter(SplitFragments::wroteParts).count();
          if (wrote == 0) {
            return;
          }
          if (wrote != ranges.size()) {
            throw new BackfillException(
                "fragment "
                    + id
                    + ": "
                    + wrote
                    + " of its "
                    + ranges.size()
                    + " row ranges wrote their values, so it cannot be assembled");
          }
          out.add(WorkGroups.assembly(ranges.get(0)));
        });
    return out;
  }

  /** The fragment's range receipts, every range having returned (else a failure). */
  private Map<String, FragmentReceipt> returned(int id, List<WorkUnit> ranges) {
    Map<String, FragmentReceipt> receipts = done.getOrDefault(id, Map.of());
    if (receipts.size() != ranges.size()) {
      throw new BackfillException(
          "fragment "
              + id
              + ": "
              + receipts.size()
              + " of its "
              + ranges.size()
              + " row ranges returned, so it cannot be assembled");
    }
    return receipts;
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

  /** Whether the round has split fragments. */
  boolean any() {
    return !fragments.isEmpty();
  }
}
