package dev.lancet.backfill.plan;

import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.commit.PlannedFragment;
import dev.lancet.backfill.store.ColumnState;
import dev.lancet.udf.UdfSpec;
import java.util.List;
import java.util.Map;
import org.lance.schema.LanceField;

/**
 * A backfill pinned to one table version: the column, its spec (with the code identity and error
 * policy of this run) and Lance field, one work unit per fragment with rows to compute, files an
 * earlier run finished for the same work (to commit without computing), and what was found already
 * current.
 *
 * @param spec the spec workers run: the registered one with this run's code identity and error
 *     policy
 * @param udfVersion {@code spec.version()}: the version current values are computed under
 * @param units fragments to compute
 * @param reused receipts of files an earlier run finished for the same work but did not commit
 * @param adopted state entries for fragments found current another way (a compaction that only
 *     moved current values), to record before anything else
 * @param fragments what each fragment to commit looked like at planning
 * @param upToDateFragments fragments skipped because every live row's value is current
 * @param upToDateRows live rows of those fragments
 * @param rowsInScope live rows the run's filter selects (every live row without one), at the pinned
 *     version: the rows a run that succeeds leaves current, so those it did not compute were
 *     current already
 */
public record BackfillPlan(
    String datasetUri,
    long version,
    String column,
    LanceField field,
    UdfSpec spec,
    String udfVersion,
    String filter,
    List<WorkUnit> units,
    List<FragmentReceipt> reused,
    List<ColumnState.Entry> adopted,
    Map<Integer, PlannedFragment> fragments,
    Map<Integer, String> inputs,
    int upToDateFragments,
    long upToDateRows,
    long rowsInScope) {

  public boolean nothingToDo() {
    return units.isEmpty() && reused.isEmpty();
  }
}
