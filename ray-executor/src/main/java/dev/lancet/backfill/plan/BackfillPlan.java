package dev.lancet.backfill.plan;

import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.commit.PlannedFragment;
import dev.lancet.backfill.store.ColumnState;
import dev.lancet.backfill.store.StaleSlots;
import dev.lancet.backfill.store.UdfCode;
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
 * @param datasetUri the table
 * @param version the table version the plan is pinned to
 * @param column the column to compute
 * @param fields the Lance fields storing the column (its siblings', for a sibling group)
 * @param spec the spec workers run: the registered one with this run's code identity and error
 *     policy
 * @param udfVersion {@code spec.version()}: the version current values are computed under
 * @param filter the rows to compute (Lance filter), or null for all
 * @param job what every fragment to compute shares, as workers get it
 * @param work the fragments to compute, each with its own part ({@link #units()} pairs them with
 *     the job)
 * @param code the user's jars cluster workers load the UDF from, as the settings name them (the
 *     runner puts the jars it publishes in their place)
 * @param reused receipts of files an earlier run finished for the same work but did not commit
 * @param adopted state entries for fragments found current another way (a compaction that only
 *     moved current values), to record before anything else
 * @param fragments what each fragment to commit looked like at planning
 * @param inputs each fragment's input identity ({@code FragmentInputs}), as its work key hashes it
 * @param held for fragments to compute whose file holds values of an older version or inputs: which
 *     rows, so the file that replaces it records those it keeps ({@link #staleKeptBy})
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
    List<LanceField> fields,
    UdfSpec spec,
    String udfVersion,
    String filter,
    JobContext job,
    List<FragmentWork> work,
    UdfCode code,
    List<FragmentReceipt> reused,
    List<ColumnState.Entry> adopted,
    Map<Integer, PlannedFragment> fragments,
    Map<Integer, String> inputs,
    Map<Integer, HeldValues> held,
    int upToDateFragments,
    long upToDateRows,
    long rowsInScope) {

  /** The fragments to compute, as the units worker code computes (not retried). */
  public List<WorkUnit> units() {
    return work.stream().map(f -> new WorkUnit(job, f, code, false)).toList();
  }

  /**
   * The stale values {@code receipt}'s new file keeps from the file it replaces (rows a filter left
   * out), or null: recorded with the file, so they stay counted as stale, not as never computed.
   */
  public StaleSlots staleKeptBy(FragmentReceipt receipt) {
    if (receipt.file().stale() != null) {
      return receipt.file().stale(); // an earlier run's file, recorded with what it kept
    }
    HeldValues before = held.get(receipt.fragmentId());
    return before == null ? null : before.keptBy(receipt.currentSlots(), receipt.physicalRows());
  }

  /** Whether there is nothing to compute and nothing to commit. */
  public boolean nothingToDo() {
    return work.isEmpty() && reused.isEmpty();
  }
}
