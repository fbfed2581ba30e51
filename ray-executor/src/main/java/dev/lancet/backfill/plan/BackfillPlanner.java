package dev.lancet.backfill.plan;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.RowFreshness;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.commit.PlannedFragment;
import dev.lancet.backfill.store.ColumnState;
import dev.lancet.backfill.store.InternalPaths;
import dev.lancet.backfill.store.JobRecords;
import dev.lancet.backfill.store.UdfLoaders;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.DataFiles;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.CodeIdentity;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.ErrorPolicy;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.lance.Dataset;
import org.lance.FragmentMetadata;
import org.lance.schema.LanceField;

/**
 * Plans a backfill: pins the table version, checks the column is virtual, its UDF class may be and
 * can be loaded and the filter is valid, and finds, per fragment, the rows whose value is missing
 * or stale. A row's value is current when the column file the fragment holds was recorded ({@link
 * ColumnState}) as computed under this UDF version (spec and code) from the input files the
 * fragment still has, and that row was among those it computed. Everything else is computed; a
 * fragment with nothing to compute is left out, so an identical rerun, a rerun after a delete and a
 * rerun under another filter compute nothing and commit nothing.
 */
public final class BackfillPlanner {
  private BackfillPlanner() {}

  public static BackfillPlan plan(String column, BackfillSettings settings) {
    return plan(column, settings, false).plan();
  }

  /**
   * A plan with the rows it would compute by why, for EXPLAIN BACKFILL: the same plan a run makes,
   * nothing computed or recorded.
   *
   * @param plan the plan
   * @param toCompute the rows of the fragments to compute that the filter selects, by state (its
   *     current rows are not computed)
   * @param fragmentsWithWork fragments to compute with rows to compute (the run reads the others of
   *     {@code plan.work()} and finds none the filter selects)
   * @param finishedEarlier the rows of fragments an earlier run finished but did not commit, which
   *     the run commits without computing, by state
   */
  public record Explained(
      BackfillPlan plan,
      RowFreshness toCompute,
      int fragmentsWithWork,
      RowFreshness finishedEarlier) {}

  /** The plan a run would make now, and its rows by state. */
  public static Explained explain(String column, BackfillSettings settings) {
    return plan(column, settings, true);
  }

  private static Explained plan(String named, BackfillSettings settings, boolean count) {
    TableLocation table = settings.table();
    String datasetUri = table.uri();
    try (BufferAllocator allocator = Allocators.child("lancet-planner");
        Dataset dataset = LanceDatasets.open(allocator, table, null)) {
      long version = dataset.version();
      // A sibling column is computed with its group, under the group's lead's name.
      String column = VirtualColumns.leadOf(dataset.getSchema(), named);
      UdfSpec registered = VirtualColumns.list(dataset.getSchema()).get(column);
      if (registered == null) {
        boolean exists =
            dataset.getSchema().getFields().stream().anyMatch(f -> f.getName().equals(column));
        throw new BackfillException(
            exists ? ErrorCode.LANCET_COLUMN_NOT_VIRTUAL : ErrorCode.LANCET_COLUMN_NOT_FOUND,
            exists
                ? "column '"
                    + column
                    + "' of "
                    + settings.tableName(datasetUri)
                    + " is not a virtual column: it has no UDF to compute it"
                : "column '"
                    + column
                    + "' does not exist in "
                    + settings.tableName(datasetUri)
                    + "; its columns are "
                    + dataset.getSchema().getFields().stream().map(Field::getName).toList());
      }
      // The code the workers must run is the code loadable now: a rebuilt jar is a new version.
      // Pinned code runs from the table's jar store, whatever the session holds, and only jars
      // the policy allows are opened.
      settings.classPolicy().checkJars(registered.jars());
      Class<?> udfClass =
          settings
              .classPolicy()
              .load(
                  registered.className(),
                  registered.jars().isEmpty()
                      ? settings.classLoader()
                      : UdfLoaders.of(table, registered.jars()));
      UdfSpec spec =
          registered
              .withCodeHash(CodeIdentity.of(udfClass))
              .withErrorPolicy(errorPolicy(registered, settings));
      String udfVersion = spec.version();
      String filter = settings.filter();
      long rowsInScope;
      if (filter == null) {
        rowsInScope = dataset.countRows();
      } else {
        try {
          rowsInScope = dataset.countRows(filter);
        } catch (RuntimeException e) {
          throw new BackfillException(
              ErrorCode.LANCET_INVALID_FILTER,
              "invalid filter '" + filter + "': " + FilterErrors.describe(e.getMessage()));
        }
      }
      ColumnFreshness.Assessment assessment =
          ColumnFreshness.assess(dataset, table, column, spec, allocator);
      List<LanceField> fields = assessment.fields();
      Set<Integer> inputFieldIds = assessment.inputFieldIds();
      Set<Integer> watched = new HashSet<>(inputFieldIds);
      fields.forEach(f -> TableFields.collectIds(f, watched));
      ColumnState.Snapshot state = assessment.state();
      // One precedence for every option: the run's, the column's registration (already merged with
      // the class's @Udf in the spec), the default.
      int batchSize =
          settings.batchSize() != null
              ? settings.batchSize()
              : spec.batchSize() != null ? spec.batchSize() : Backfill.DEFAULT_BATCH_SIZE;
      List<ColumnState.Entry> adopted = assessment.adopted();
      List<ColumnFreshness.FragmentState> candidates = new ArrayList<>();
      int upToDate = 0;
      long upToDateRows = 0;
      for (ColumnFreshness.FragmentState f : assessment.fragments()) {
        if (f.all()) {
          upToDate++;
          upToDateRows += f.meta().getNumRows();
        } else {
          candidates.add(f);
        }
      }

      JobContext job =
          JobContext.builder()
              .table(table)
              .version(version)
              .column(column)
              .specJson(spec.toJson())
              .batchSize(batchSize)
              .filter(filter)
              .checkpoints(settings.checkpoints())
              .checkpointIntervalMillis(settings.checkpointIntervalMillis())
              .allowedPackages(String.join(",", settings.classPolicy().allowedPrefixes()))
              .allowedJars(String.join(",", settings.classPolicy().allowedJars()))
              .jobId(settings.jobId())
              .mayResume(mayResume(settings, column))
              .build();
      List<FragmentWork> work = new ArrayList<>();
      List<FragmentReceipt> reused = new ArrayList<>();
      Map<Integer, PlannedFragment> fragments = new LinkedHashMap<>();
      Map<Integer, String> inputsById = new HashMap<>();
      Map<Integer, HeldValues> held = new HashMap<>();
      Map<Integer, Long> budgets = null;
      if (settings.limit() > 0) {
        Map<Integer, Long> toCompute =
            ColumnRows.counted(
                    assessment,
                    dataset,
                    table,
                    column,
                    filter,
                    fragmentIds(candidates),
                    Map.of(),
                    allocator)
                .toCompute();
        budgets = pilotBudgets(settings.limit(), candidates, toCompute);
        // A pilot's scope is the rows current already and the rows it computes.
        long total = sum(toCompute);
        rowsInScope -= total - Math.min(settings.limit(), total);
      }
      for (ColumnFreshness.FragmentState c : candidates) {
        FragmentMetadata meta = c.meta();
        long maxRows = 0;
        if (budgets != null) {
          Long budget = budgets.get(meta.getId());
          if (budget == null) {
            continue; // beyond the pilot's limit
          }
          maxRows = budget;
        }
        String workKey =
            Keys.hash(
                udfVersion,
                column,
                meta.getId(),
                c.current() == null ? "-" : c.current().path(),
                c.inputs(),
                filter,
                c.fresh().encode(),
                maxRows == 0 ? "" : "limit " + maxRows);
        PlannedFragment planned = PlannedFragment.of(meta, Set.copyOf(watched));
        fragments.put(meta.getId(), planned);
        inputsById.put(meta.getId(), c.inputs());
        if (c.stale().held() != null) {
          held.put(meta.getId(), c.stale().held());
        }
        FragmentWork fragment =
            new FragmentWork(
                meta.getId(),
                meta.getPhysicalRows(),
                meta.getNumRows(),
                workKey,
                c.current(),
                c.fresh().encode(),
                null,
                maxRows);
        ColumnState.Entry earlier = state.byWorkKey().get(workKey);
        FragmentReceipt receipt =
            earlier == null || earlier.receipt() == null
                ? null
                : FragmentReceipt.fromJson(earlier.receipt());
        if (receipt != null
            && settings.checkpoints()
            && DataFiles.holdsRows(table, receipt.fileName(), fragment.physicalRows(), allocator)) {
          reused.add(receipt.reusedLater()); // finished by an earlier run that did not commit it
        } else {
          work.add(fragment);
        }
      }
      BackfillPlan plan =
          new BackfillPlan(
              datasetUri,
              version,
              column,
              fields,
              spec,
              udfVersion,
              filter,
              job,
              work,
              settings.code(),
              reused,
              adopted,
              fragments,
              inputsById,
              held,
              upToDate,
              upToDateRows,
              rowsInScope);
      if (!count) {
        return new Explained(plan, null, 0, null);
      }
      Set<Integer> computed = new HashSet<>();
      Map<Integer, Long> caps = new HashMap<>(); // a pilot's cut fragment
      for (FragmentWork w : work) {
        computed.add(w.fragmentId());
        if (w.maxRows() > 0) {
          caps.put(w.fragmentId(), w.maxRows());
        }
      }
      Set<Integer> finished = new HashSet<>();
      reused.forEach(r -> finished.add(r.fragmentId()));
      ColumnRows.Counted toCompute =
          computed.isEmpty()
              ? ColumnRows.Counted.NONE
              : ColumnRows.counted(
                  assessment, dataset, table, column, filter, computed, caps, allocator);
      return new Explained(
          plan,
          toCompute.rows(),
          toCompute.toCompute().size(),
          finished.isEmpty()
              ? RowFreshness.NONE
              : ColumnRows.counted(
                      assessment, dataset, table, column, filter, finished, Map.of(), allocator)
                  .rows());
    }
  }

  /**
   * A pilot run's rows to compute per fragment, the first fragments' first rows up to its limit (0
   * when a fragment's every row to compute fits); fragments beyond it are absent. Null without a
   * limit.
   */
  private static Map<Integer, Long> pilotBudgets(
      long limit, List<ColumnFreshness.FragmentState> candidates, Map<Integer, Long> toCompute) {
    Map<Integer, Long> budgets = new LinkedHashMap<>();
    long remaining = limit;
    for (ColumnFreshness.FragmentState c : candidates) {
      long rows = toCompute.getOrDefault(c.meta().getId(), 0L);
      if (remaining == 0) {
        break;
      }
      if (rows == 0) {
        continue;
      }
      long budget = Math.min(rows, remaining);
      budgets.put(c.meta().getId(), budget < rows ? budget : 0L);
      remaining -= budget;
    }
    return budgets;
  }

  private static long sum(Map<Integer, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Set<Integer> fragmentIds(List<ColumnFreshness.FragmentState> fragments) {
    Set<Integer> ids = new HashSet<>();
    fragments.forEach(f -> ids.add(f.meta().getId()));
    return ids;
  }

  /**
   * Whether workers should look for checkpoints of unfinished work: the column has some (a listing
   * of its checkpoint directory, where the store can tell), else whether its last job did not
   * succeed (it failed, was cancelled, its driver died, or it still runs). The listing is what a
   * backfill with nothing to do costs least with: the job table grows with every job.
   */
  private static boolean mayResume(BackfillSettings settings, String column) {
    Boolean any =
        DataFiles.anyUnder(
            InternalPaths.checkpointsOf(settings.table().uri(), column),
            settings.table().storageOptions());
    return any != null ? any : lastJobDidNotSucceed(settings, column);
  }

  private static boolean lastJobDidNotSucceed(BackfillSettings settings, String column) {
    try {
      List<dev.lancet.backfill.BackfillJob> jobs =
          JobRecords.list(settings.table()).stream()
              .filter(j -> j.column().equals(column))
              .toList();
      return !jobs.isEmpty()
          && jobs.get(jobs.size() - 1).status() != dev.lancet.backfill.JobStatus.SUCCEEDED;
    } catch (RuntimeException e) {
      return true; // cannot tell: look
    }
  }

  private static ErrorPolicy errorPolicy(UdfSpec spec, BackfillSettings settings) {
    ErrorPolicy policy = spec.errorPolicy();
    if (settings.onError() != null) {
      policy = policy.withOnError(settings.onError());
    }
    return settings.maxErrorFraction() != null
        ? policy.withMaxErrorFraction(settings.maxErrorFraction())
        : policy;
  }
}
