package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillCancelledException;
import dev.lancet.backfill.BackfillControl;
import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.BackfillProgress;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.backfill.JobStatus;
import dev.lancet.backfill.commit.FragmentCommitter;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.compute.Cancellations;
import dev.lancet.backfill.engine.TaskQueue;
import dev.lancet.backfill.engine.WorkTask;
import dev.lancet.backfill.engine.WorkerEngine;
import dev.lancet.backfill.engine.Workers;
import dev.lancet.backfill.plan.BackfillPlan;
import dev.lancet.backfill.plan.BackfillPlanner;
import dev.lancet.backfill.plan.BackfillSettings;
import dev.lancet.backfill.plan.FragmentSplit;
import dev.lancet.backfill.plan.WorkGroup;
import dev.lancet.backfill.plan.WorkGroups;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.backfill.store.ColumnState;
import dev.lancet.backfill.store.ErrorRecords;
import dev.lancet.backfill.store.JarStore;
import dev.lancet.backfill.store.JobRecords;
import dev.lancet.backfill.store.JobSignals;
import dev.lancet.backfill.store.UdfCode;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one backfill in rounds: plan, compute fragments on an engine's {@link Workers}, hand their
 * receipts to a {@link CommitQueue} (state recorded, commits in groups) while {@link JobProgress}
 * and the {@link ErrorBudget} count them, and write the job record. A fatal failure (a commit that
 * fails for good, too many failed rows) stops the queue: running fragments finish, nothing new
 * starts. Finished but uncommitted files stay recorded for the next run (with checkpoints) or are
 * deleted when no commit can have taken them (without). A run with nothing to compute commits
 * nothing.
 */
public final class BackfillRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillRunner.class);

  private final TableLocation table;
  private String column; // as named, then as planned: a sibling's is its group's lead
  private final BackfillSettings settings;
  private final Consumer<BackfillProgress> listener;
  private final WorkerEngine engine;

  /** The statement's commits when run together with other columns, else null. */
  private StatementCommits statement;

  /** A backfill of {@code column} whose work groups {@code engine}'s workers compute. */
  public BackfillRunner(String column, BackfillSettings settings, WorkerEngine engine) {
    this.engine = engine;
    this.table = settings.table();
    this.column = column;
    this.settings = settings;
    this.listener = settings.listener();
  }

  /**
   * Rounds a job may run when other writers change the table meanwhile: each later round plans
   * again and computes what the others made missing or stale (appended rows, a compacted fragment,
   * an input updated between a fragment's check and its commit).
   */
  static final int MAX_ROUNDS = 3;

  public BackfillResult run() {
    long started = System.currentTimeMillis();
    String jobId = settings.jobId();
    ColumnState state = new ColumnState(table);
    BackfillPlan plan = plan(state);
    JobProgress progress =
        new JobProgress(column, jobId, settings.filter(), settings.limit(), plan);
    ErrorBudget budget =
        new ErrorBudget(
            column,
            new ErrorBudget.FailureRecords() {
              @Override
              public Map<Integer, java.util.BitSet> earlierJobs() {
                try (BufferAllocator allocator = Allocators.child("lancet-errors")) {
                  return ErrorRecords.failedSlots(table, column, jobId, allocator);
                }
              }

              @Override
              public java.util.BitSet thisJob(int fragmentId) {
                try (BufferAllocator allocator = Allocators.child("lancet-errors")) {
                  return ErrorRecords.failedSlots(table, column, jobId, fragmentId, allocator);
                }
              }
            });
    if (plan.nothingToDo()) {
      listener.accept(progress.snapshot(started, true));
      JobRecords.write(
          table,
          progress.record(
              JobStatus.SUCCEEDED, started, System.currentTimeMillis(), null, List.of()));
      return progress.result();
    }
    BackfillControl control = settings.control();
    control.working();
    BackfillJob running = progress.record(JobStatus.RUNNING, started, 0, null, List.of());
    // This JVM's workers (LOCAL mode) see it before their next batch; cluster workers are told by
    // the pool.
    control.onCancel(() -> Cancellations.cancel(jobId));
    RuntimeException failure;
    try (JobWatch watch =
        JobWatch.start(
            new JobSignals(table), jobId, control, () -> JobRecords.write(table, running))) {
      if (statement != null) {
        progress.alsoCounting(statement);
      }
      for (int round = 1; ; round++) {
        int commitsBefore = progress.commits();
        int statementBefore = statement == null ? 0 : statement.count(); // after the plan's read
        failure =
            control.isCancelled()
                ? UserErrors.cancelled(column, control)
                : runRound(plan, state, progress, budget, started);
        if (control.isCancelled()
            && (failure == null || failure instanceof BackfillCancelledException)) {
          failure =
              UserErrors.cancelled(
                  column, control); // with the reason, not a worker's "was cancelled"
        }
        // Files an earlier, failed run finished are committed as they are; rows that failed in
        // them are not current, so one more round computes those (the UDF may be fixed since).
        boolean reusedFailures =
            round == 1 && plan.reused().stream().anyMatch(r -> r.rowsFailed() > 0);
        if (failure != null
            || round == MAX_ROUNDS
            || settings.limit() > 0 // a pilot's rows are chosen once
            || !reusedFailures
                && !othersWrote(plan, progress.commits() - commitsBefore, statementBefore)) {
          break;
        }
        plan = plan(state);
        if (plan.nothingToDo()) {
          break;
        }
        LOG.info(
            "backfill {} of {}: the table changed meanwhile; round {} computes {} fragment(s) at"
                + " version {}",
            column,
            table.uri(),
            round + 1,
            plan.units().size() + plan.reused().size(),
            plan.version());
        progress.nextRound(plan);
      }
    }
    Cancellations.forget(jobId);
    if (failure == null && progress.commits() > 0) {
      compactState(state);
    }
    JobStatus status =
        failure == null
            ? JobStatus.SUCCEEDED
            : failure instanceof BackfillCancelledException
                ? JobStatus.CANCELLED
                : JobStatus.FAILED;
    BackfillJob ended =
        progress.record(
            status,
            started,
            System.currentTimeMillis(),
            failure == null ? null : failure.getMessage(),
            budget.firstErrors());
    JobRecords.write(table, ended);
    ColumnRates.ended(table, ended);
    if (failure != null) {
      throw failure;
    }
    LOG.info(
        "backfill {} of {}: {} row(s) in {} fragment(s), {} commit(s), now version {}",
        column,
        table.uri(),
        progress.rows(),
        progress.fragments(),
        progress.commits(),
        progress.version());
    return progress.result();
  }

  /** Plans a round and records what the plan learned about files no run of ours wrote. */
  private BackfillPlan plan(ColumnState state) {
    BackfillPlan plan = BackfillPlanner.plan(column, settings);
    column = plan.column();
    if (!plan.adopted().isEmpty()) {
      try (BufferAllocator allocator = Allocators.child("lancet-state")) {
        state.record(plan.adopted(), allocator);
      }
    }
    return plan;
  }

  /**
   * Whether the table has versions since {@code plan}'s beyond the {@code ours} this round made,
   * and beyond its statement's other members' since {@code statementBefore} when this column reads
   * no virtual column ({@link StatementCommits}).
   */
  private boolean othersWrote(BackfillPlan plan, int ours, int statementBefore) {
    // Counted before the version is read: a member's commit counted here is in that version.
    int members = statement == null ? 0 : statement.count() - statementBefore;
    try (org.lance.Dataset latest = LanceDatasets.open(table)) {
      int expected =
          statement != null && readsNoVirtualColumn(plan, latest.getSchema())
              ? Math.max(ours, members)
              : ours;
      return latest.version() - plan.version() > expected;
    }
  }

  private static boolean readsNoVirtualColumn(
      BackfillPlan plan, org.apache.arrow.vector.types.pojo.Schema schema) {
    java.util.Set<String> virtual =
        new java.util.HashSet<>(dev.lancet.backfill.VirtualColumns.list(schema).keySet());
    dev.lancet.backfill.VirtualColumns.siblings(schema).values().forEach(virtual::addAll);
    return plan.spec().inputs().stream().noneMatch(virtual::contains);
  }

  /**
   * Runs this job as a member of a statement's backfills run together: their commits are not taken
   * for another writer's ({@link StatementCommits}).
   */
  public BackfillRunner together(StatementCommits commits) {
    this.statement = commits;
    return this;
  }

  /** Computes and commits one plan's units; returns the failure, or null. */
  private RuntimeException runRound(
      BackfillPlan plan,
      ColumnState state,
      JobProgress progress,
      ErrorBudget budget,
      long started) {
    String jobId = settings.jobId();
    FragmentCommitter committer =
        new FragmentCommitter(
            table,
            plan.fields(),
            Map.of(
                "lancet.job_id",
                jobId,
                "lancet.column",
                column,
                "lancet.udf_version",
                plan.udfVersion()));
    CommitQueue commits = new CommitQueue(column, settings, plan, state, committer, progress);
    RuntimeException failure = null;
    try {
      commits.addAll(plan.reused());
      if (!plan.units().isEmpty()) {
        long taskSize = taskSize(plan, settings);
        List<WorkUnit> units = WorkGroups.split(plan.units(), taskSize);
        List<WorkGroup> groups = groups(units, plan, progress);
        LOG.info(
            "backfill {} of {}: {} fragment(s) in {} task(s) at version {}",
            column,
            table.uri(),
            plan.units().size(),
            groups.size(),
            plan.version());
        RuntimeException[] poolFailure = {null};
        // A task's result may come twice (a duplicate attempt): each fragment's work counts once.
        java.util.Set<String> accepted = new java.util.HashSet<>();
        SplitFragments split = new SplitFragments(units);
        TaskQueue queue = new TaskQueue(groups.stream().map(WorkTask::of).toList());
        Consumer<String> onResult =
            result -> {
              List<FragmentReceipt> receipts = new ArrayList<>();
              for (FragmentReceipt r : FragmentReceipt.listFromJson(result)) {
                boolean range = FragmentSplit.isRangeKey(r.workKey());
                // A range that wrote nothing may run again to copy its values: a second receipt.
                if (!accepted.add(
                    r.fragmentId() + "/" + r.workKey() + (range ? "/" + r.checkpointed() : ""))) {
                  continue;
                }
                if (!range) {
                  receipts.add(split.whole(r));
                  continue;
                }
                split.rangeDone(r); // its rows count; the fragment's assembly is committed
                progress.rangeFinished(r);
                listener.accept(progress.snapshot(started, false));
                // As soon as its last range is back, the fragment's assembly is due (before
                // the waiting tasks of fragments planned after its next one), or it is unchanged.
                SplitFragments.Next next = split.afterRange(r.fragmentId());
                withCode(WorkGroups.of(next.tasks(), settings.concurrency()), groups)
                    .forEach(g -> queue.addDue(WorkTask.of(g)));
                if (next.unchanged() != null) {
                  receipts.add(next.unchanged());
                }
              }
              if (receipts.isEmpty()) {
                return;
              }
              receipts.forEach(progress::finished);
              listener.accept(progress.snapshot(started, true));
              try {
                receipts.forEach(r -> budget.check(r, plan.spec().errorPolicy()));
              } catch (RuntimeException tooManyFailed) {
                commits.discard(receipts); // none may be committed, or reused by a rerun
                throw tooManyFailed;
              }
              commits.addFinished(receipts); // a failure stops the pool taking groups
            };
        try (Workers pool =
            engine.open(
                Math.min(settings.concurrency(), groups.size()),
                plan.spec().resources(),
                plan.udfVersion(),
                settings.classLoader())) {
          settings.control().onCancel(() -> pool.tellCancelled(jobId));
          pool.run(
              queue,
              onResult,
              e ->
                  poolFailure[0] =
                      poolFailure[0] == null ? UserErrors.of(column, e) : poolFailure[0],
              settings.control()::isCancelled,
              rows -> {
                progress.rowsInFlight(rows);
                listener.accept(progress.snapshot(started, false));
              });
        }
        if (poolFailure[0] == null
            && !settings.control().isCancelled()
            && !split.unresolved().isEmpty()) {
          poolFailure[0] =
              new BackfillException(
                  "fragments "
                      + split.unresolved()
                      + ": their row ranges did not all return, so they cannot be assembled");
        }
        failure = poolFailure[0];
      }
      if (failure == null) {
        commits.commitPending();
      }
    } catch (RuntimeException e) {
      failure = failure == null ? UserErrors.of(column, e) : failure;
    }
    commits.afterRun(failure == null);
    return failure;
  }

  /**
   * Rows a task computes at most; a pilot's fragments are not split (its limit cuts one). When the
   * default would split a fragment, the column's last measured rate (its job records) decides
   * whether the work is long enough to gain from it: a cheap UDF's appended fragment is computed
   * whole, as fast as it is, and an expensive one's is still cut.
   */
  static long taskSize(BackfillPlan plan, BackfillSettings settings) {
    if (settings.limit() > 0) {
      return Long.MAX_VALUE;
    }
    int workers = settings.concurrency();
    long size = WorkGroups.taskSize(plan.units(), workers, settings.taskSize());
    if (settings.taskSize() > 0 || !WorkGroups.splitsAny(plan.units(), size)) {
      return size;
    }
    // The job's rate over its workers: an under-estimate of one worker's (the job's fixed costs,
    // fewer workers busy), so it errs towards splitting.
    double perWorker = ColumnRates.of(settings.table(), plan.column()) / Math.max(1, workers);
    return WorkGroups.taskSize(plan.units(), workers, 0, perWorker);
  }

  /** {@code groups} with the code the first round's groups carry (the jars published once). */
  private static List<WorkGroup> withCode(List<WorkGroup> groups, List<WorkGroup> like) {
    UdfCode code = like.isEmpty() ? null : like.get(0).code();
    return code == null ? groups : groups.stream().map(g -> g.withCode(code)).toList();
  }

  /**
   * The units in work groups, with the session's jars published for workers outside this JVM (the
   * job record names where the code came from).
   */
  private List<WorkGroup> groups(List<WorkUnit> units, BackfillPlan plan, JobProgress progress) {
    engine.start();
    List<java.nio.file.Path> sessionJars = UdfCode.userJars(settings.classLoader());
    // Pinned code travels in the spec; the session's jars matter only to a column without.
    boolean pinned = !plan.spec().jars().isEmpty();
    UdfCode code =
        engine.inDriverJvm() || pinned ? UdfCode.NONE : JarStore.publish(table, sessionJars);
    progress.engine(engine.name());
    progress.code(
        pinned
            ? plan.spec().jars().stream().map(j -> "pinned " + j.describe()).toList()
            : JarStore.describe(code, sessionJars, engine.workerCodeUri()));
    List<WorkGroup> groups = WorkGroups.of(units, settings.concurrency());
    return code.jars().isEmpty() ? groups : groups.stream().map(g -> g.withCode(code)).toList();
  }

  /** Keeps the state table small: its entries of files no fragment holds any more go. */
  private void compactState(ColumnState state) {
    try (BufferAllocator allocator = Allocators.child("lancet-state");
        org.lance.Dataset latest = LanceDatasets.open(allocator, table, null)) {
      java.util.Set<String> live = new java.util.HashSet<>();
      latest
          .getFragments()
          .forEach(f -> f.metadata().getFiles().forEach(d -> live.add(d.getPath())));
      state.compactIfLarge(live, allocator);
    } catch (RuntimeException e) {
      LOG.warn(
          "backfill {} of {}: cannot compact its state: {}", column, table.uri(), e.toString());
    }
  }
}
