package dev.lancet.backfill.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lance.Dataset;
import org.lance.FragmentMetadata;
import org.lance.Transaction;
import org.lance.operation.Rewrite;
import org.lance.operation.RewriteGroup;

/**
 * Explains, from the table's transaction history, fragments whose column lives in a file no run of
 * ours wrote. A compaction rewrites fragments whole, moving every live row's values as they are;
 * Lance records which old fragments each new one replaced (the {@code Rewrite} operation). When
 * every old fragment held current values for all its live rows, so does the new one, and nothing
 * needs computing again. Anything else (an update's new rows, an append that carried the column, a
 * compaction of rows not all current) is computed.
 */
final class CompactionHistory {
  /** How far back the history is searched for the transaction that wrote a fragment. */
  static final int MAX_VERSIONS = 64;

  private CompactionHistory() {}

  static Set<Integer> fragmentsOfCurrentValues(
      Dataset dataset,
      List<FragmentMetadata> unexplained,
      ColumnState.Snapshot state,
      String udfVersion,
      Set<Integer> inputFieldIds,
      ColumnLayout layout) {
    Set<Integer> wanted = new HashSet<>();
    unexplained.forEach(m -> wanted.add(m.getId()));
    Set<Integer> current = new HashSet<>();
    long latest = dataset.version();
    for (long v = latest; v > 1 && v > latest - MAX_VERSIONS && !wanted.isEmpty(); v--) {
      Optional<Transaction> transaction;
      try (Dataset at = dataset.checkoutVersion(v)) {
        transaction = at.readTransaction();
      } catch (RuntimeException e) {
        break; // older versions cleaned up: nothing more to learn
      }
      if (transaction.isEmpty() || !(transaction.get().operation() instanceof Rewrite rewrite)) {
        continue;
      }
      for (RewriteGroup group : rewrite.groups()) {
        boolean moved = group.newFragments().stream().anyMatch(f -> wanted.contains(f.getId()));
        if (!moved) {
          continue;
        }
        boolean allCurrent =
            group.oldFragments().stream()
                .allMatch(old -> heldCurrentValues(old, state, udfVersion, inputFieldIds, layout));
        for (FragmentMetadata f : group.newFragments()) {
          if (wanted.remove(f.getId()) && allCurrent) {
            current.add(f.getId());
          }
        }
      }
    }
    return current;
  }

  private static boolean heldCurrentValues(
      FragmentMetadata old,
      ColumnState.Snapshot state,
      String udfVersion,
      Set<Integer> inputFieldIds,
      ColumnLayout layout) {
    ColumnFile file = BackfillPlanner.columnFile(old, layout);
    if (file == null) {
      return old.getNumRows() == 0;
    }
    ColumnState.Entry entry = state.byFile().get(file.path());
    return entry != null
        && entry.fragmentId() == old.getId()
        && entry.udfVersion().equals(udfVersion)
        && entry.currentSlots() == null
        && entry.physicalRows() == old.getPhysicalRows()
        && entry.inputs().equals(FragmentInputs.of(old, inputFieldIds, file.path()));
  }
}
