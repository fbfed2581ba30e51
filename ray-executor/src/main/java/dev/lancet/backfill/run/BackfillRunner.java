package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillCancelledException;
import dev.lancet.backfill.BackfillControl;
import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.BackfillProgress;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.backfill.JobStatus;
import dev.lancet.backfill.RowError;
import dev.lancet.backfill.commit.FragmentCommitter;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.compute.Cancellations;
import dev.lancet.backfill.compute.CheckpointStore;
import dev.lancet.backfill.plan.BackfillPlan;
import dev.lancet.backfill.plan.BackfillPlanner;
import dev.lancet.backfill.plan.BackfillSettings;
import dev.lancet.backfill.plan.WorkGroup;
import dev.lancet.backfill.plan.WorkGroups;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.backfill.store.ColumnState;
import dev.lancet.backfill.store.JarStore;
import dev.lancet.backfill.store.JobRecords;
import dev.lancet.backfill.store.JobSignals;
import dev.lancet.backfill.store.Slots;
import dev.lancet.backfill.store.UdfCode;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.DataFiles;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.ErrorPolicy;
import dev.lancet.udf.UdfException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one backfill: plan, compute fragments on a pool of Ray workers, record each finished
 * file's state and commit receipts in groups as they arrive ({@link CommitCadence}), and write the
 * job record. A fatal failure (a commit that fails for good, too many failed rows) stops the queue:
 * running fragments finish, nothing new starts. Finished but uncommitted files stay recorded for
 * the next run (with checkpoints) or are deleted when no commit can have taken them (without). A
 * run with nothing to compute commits nothing.
 */
public final class BackfillRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillRunner.class);

  private final String datasetUri;
  private final String column;
  private final BackfillSettings settings;
  private final Consumer<BackfillProgress> listener;
  private final WorkerEngine engine;

  /** A backfill of {@code column} whose work groups {@code engine}'s workers compute. */
  public BackfillRunner(
      String datasetUri, String column, BackfillSettings settings, WorkerEngine engine) {
    this.engine = engine;
    this.datasetUri = datasetUri;
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
    ColumnState state = new ColumnState(datasetUri, settings.storageOptions());
    BackfillPlan plan = plan(state);
    Progress progress = new Progress(plan, jobId);
    if (plan.nothingToDo()) {
      listener.accept(progress.snapshot(started, true));
      JobRecords.write(
          datasetUri,
          settings.storageOptions(),
          progress.record(JobStatus.SUCCEEDED, started, System.currentTimeMillis(), null));
      return progress.result();
    }
    JobRecords.write(
        datasetUri,
        settings.storageOptions(),
        progress.record(JobStatus.RUNNING, started, 0, null));
    BackfillControl control = settings.control();
    // This JVM's workers (LOCAL mode) see it before their next batch; cluster workers are told by
    // the pool.
    control.onCancel(() -> Cancellations.cancel(jobId));
    RuntimeException failure;
    try (JobWatch watch =
        JobWatch.start(new JobSignals(datasetUri, settings.storageOptions()), jobId, control)) {
      for (int round = 1; ; round++) {
        int commitsBefore = progress.commits;
        failure =
            control.isCancelled()
                ? cancelled(control)
                : runRound(plan, state, progress, jobId, started);
        if (control.isCancelled()
            && (failure == null || failure instanceof BackfillCancelledException)) {
          failure = cancelled(control); // with the reason, not a worker's "was cancelled"
        }
        if (failure != null
            || round == MAX_ROUNDS
            || !othersWrote(plan.version(), progress.commits - commitsBefore)) {
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
            datasetUri,
            round + 1,
            plan.units().size() + plan.reused().size(),
            plan.version());
        progress.nextRound(plan);
      }
    }
    Cancellations.forget(jobId);
    if (failure == null && progress.commits > 0) {
      compactState(state);
    }
    JobStatus status =
        failure == null
            ? JobStatus.SUCCEEDED
            : failure instanceof BackfillCancelledException
                ? JobStatus.CANCELLED
                : JobStatus.FAILED;
    JobRecords.write(
        datasetUri,
        settings.storageOptions(),
        progress.record(
            status,
            started,
            System.currentTimeMillis(),
            failure == null ? null : failure.getMessage()));
    if (failure != null) {
      throw failure;
    }
    LOG.info(
        "backfill {} of {}: {} row(s) in {} fragment(s), {} commit(s), now version {}",
        column,
        datasetUri,
        progress.rows,
        progress.fragments,
        progress.commits,
        progress.version);
    return progress.result();
  }

  private BackfillCancelledException cancelled(BackfillControl control) {
    return new BackfillCancelledException(
        "column '"
            + column
            + "': the backfill was cancelled ("
            + control.reason()
            + "); what it finished is checkpointed, and the next run resumes from it");
  }

  /** Plans a round and records what the plan learned about files no run of ours wrote. */
  private BackfillPlan plan(ColumnState state) {
    BackfillPlan plan = BackfillPlanner.plan(datasetUri, column, settings);
    if (!plan.adopted().isEmpty()) {
      try (BufferAllocator allocator = Allocators.child("lancet-state")) {
        state.record(plan.adopted(), allocator);
      }
    }
    return plan;
  }

  /**
   * Whether the table has versions since {@code readVersion} beyond the {@code ours} this round
   * made.
   */
  private boolean othersWrote(long readVersion, int ours) {
    try (org.lance.Dataset latest = LanceDatasets.open(datasetUri, settings.storageOptions())) {
      return latest.version() - readVersion > ours;
    }
  }

  /** Computes and commits one plan's units; returns the failure, or null. */
  private RuntimeException runRound(
      BackfillPlan plan, ColumnState state, Progress progress, String jobId, long started) {
    FragmentCommitter committer =
        new FragmentCommitter(
            datasetUri,
            settings.storageOptions(),
            plan.field(),
            Map.of(
                "lancet.job_id",
                jobId,
                "lancet.column",
                column,
                "lancet.udf_version",
                plan.udfVersion()));
    Commits commits = new Commits(plan, state, committer, progress, jobId);
    RuntimeException failure = null;
    try {
      commits.addAll(plan.reused());
      if (!plan.units().isEmpty()) {
        engine.start();
        List<java.nio.file.Path> sessionJars = UdfCode.userJars(settings.classLoader());
        UdfCode code =
            engine.inDriverJvm()
                ? UdfCode.NONE
                : JarStore.publish(datasetUri, settings.storageOptions(), sessionJars);
        progress.code = JarStore.describe(code, sessionJars, engine.workerCodeUri());
        List<WorkGroup> groups = WorkGroups.of(plan.units(), settings.concurrency());
        if (!code.jars().isEmpty()) {
          groups = groups.stream().map(g -> g.withCode(code)).toList();
        }
        LOG.info(
            "backfill {} of {}: {} fragment(s) in {} task(s) at version {}",
            column,
            datasetUri,
            plan.units().size(),
            groups.size(),
            plan.version());
        RuntimeException[] poolFailure = {null};
        try (Workers pool =
            engine.open(
                Math.min(settings.concurrency(), groups.size()),
                plan.spec().resources(),
                plan.udfVersion(),
                settings.classLoader())) {
          settings.control().onCancel(() -> pool.tellCancelled(jobId));
          pool.run(
              groups,
              receipts -> {
                receipts.forEach(progress::finished);
                listener.accept(progress.snapshot(started, true));
                try {
                  receipts.forEach(r -> progress.checkErrors(r, plan.spec().errorPolicy()));
                } catch (RuntimeException tooManyFailed) {
                  commits.discard(receipts); // none may be committed, or reused by a rerun
                  throw tooManyFailed;
                }
                for (int i = 0; i < receipts.size(); i++) {
                  try {
                    commits.add(receipts.get(i));
                  } catch (RuntimeException commitFailed) {
                    receipts
                        .subList(i + 1, receipts.size())
                        .forEach(commits::keep); // recorded for the rerun
                    throw commitFailed; // the pool stops taking groups
                  }
                }
              },
              e -> poolFailure[0] = poolFailure[0] == null ? userFacing(e) : poolFailure[0],
              settings.control()::isCancelled,
              rows -> {
                progress.rowsInFlight = rows;
                listener.accept(progress.snapshot(started, false));
              });
        }
        failure = poolFailure[0];
      }
      if (failure == null) {
        commits.commitPending();
      }
    } catch (RuntimeException e) {
      failure = failure == null ? userFacing(e) : failure;
    }
    commits.afterRun(failure == null);
    return failure;
  }

  /** Keeps the state table small: its entries of files no fragment holds any more go. */
  private void compactState(ColumnState state) {
    try (BufferAllocator allocator = Allocators.child("lancet-state");
        org.lance.Dataset latest =
            LanceDatasets.open(allocator, datasetUri, settings.storageOptions(), null)) {
      java.util.Set<String> live = new java.util.HashSet<>();
      latest
          .getFragments()
          .forEach(f -> f.metadata().getFiles().forEach(d -> live.add(d.getPath())));
      state.compactIfLarge(live, allocator);
    } catch (RuntimeException e) {
      LOG.warn("backfill {} of {}: cannot compact its state: {}", column, datasetUri, e.toString());
    }
  }

  /**
   * The receipts between a worker and the table: each changed file's state is recorded (at each
   * commit, and at least every checkpoint interval), then groups are committed.
   */
  private final class Commits {
    private final BackfillPlan plan;
    private final ColumnState state;
    private final FragmentCommitter committer;
    private final Progress progress;
    private final String jobId;
    private final List<FragmentReceipt> pending = new ArrayList<>();
    private final List<FragmentReceipt> unrecorded = new ArrayList<>();
    private final Set<String> inCommitCalls = new HashSet<>();
    private final CommitCadence cadence;
    private long lastRecord = System.nanoTime();

    Commits(
        BackfillPlan plan,
        ColumnState state,
        FragmentCommitter committer,
        Progress progress,
        String jobId) {
      this.plan = plan;
      this.state = state;
      this.committer = committer;
      this.progress = progress;
      this.jobId = jobId;
      this.cadence =
          CommitCadence.of(
              settings.commitGranularity(),
              settings.commitIntervalMillis(),
              plan.units().size() + plan.reused().size());
    }

    void addAll(List<FragmentReceipt> reused) {
      pending.addAll(reused); // recorded by the run that wrote them
      if (cadence.due(pending.size())) {
        commitPending();
      }
    }

    void add(FragmentReceipt receipt) {
      if (!receipt.changed()) {
        return;
      }
      pending.add(receipt);
      unrecorded.add(receipt);
      if (cadence.due(pending.size())) {
        commitPending();
      } else if (settings.checkpoints()
          && System.nanoTime() - lastRecord >= settings.checkpointIntervalMillis() * 1_000_000L) {
        record();
      }
    }

    /**
     * Keeps a finished file for the end of the run (recorded, or deleted without checkpoints)
     * without committing it.
     */
    void keep(FragmentReceipt receipt) {
      if (receipt.changed()) {
        pending.add(receipt);
        unrecorded.add(receipt);
      }
    }

    /**
     * Deletes the files of receipts that must not be committed or reused (none was seen by a
     * commit).
     */
    void discard(List<FragmentReceipt> receipts) {
      receipts.stream()
          .filter(r -> r.changed() && !r.earlierFile() && !r.checkpointed())
          .forEach(
              r ->
                  DataFiles.deleteQuietly(
                      DataFiles.dataFileUri(datasetUri, r.fileName()), settings.storageOptions()));
    }

    /**
     * Records the unrecorded receipts' state (one append), then drops their workers' checkpoint
     * records.
     */
    void record() {
      if (unrecorded.isEmpty()) {
        return;
      }
      List<ColumnState.Entry> entries = new ArrayList<>();
      long now = System.currentTimeMillis();
      for (FragmentReceipt r : unrecorded) {
        byte[] current = r.currentSlots() == null ? null : Slots.decode(r.currentSlots()).bytes();
        entries.add(
            new ColumnState.Entry(
                column,
                r.fragmentId(),
                r.fileName(),
                plan.udfVersion(),
                plan.inputs().get(r.fragmentId()),
                r.physicalRows(),
                current,
                r.workKey(),
                r.toJson(),
                jobId,
                now));
      }
      try (BufferAllocator allocator = Allocators.child("lancet-state")) {
        state.record(entries, allocator);
      }
      CheckpointStore store = new CheckpointStore(datasetUri, settings.storageOptions(), column);
      unrecorded.stream()
          .filter(FragmentReceipt::checkpointed)
          .forEach(r -> store.forget(r.workKey(), 0));
      unrecorded.clear();
      lastRecord = System.nanoTime();
    }

    void commitPending() {
      if (pending.isEmpty()) {
        return;
      }
      record(); // before the commit: a file is never in the table without its state
      List<FragmentReceipt> group = List.copyOf(pending);
      group.forEach(r -> inCommitCalls.add(r.fileName()));
      FragmentCommitter.Outcome outcome = committer.commit(group, plan.fragments());
      cadence.committed();
      pending.clear();
      progress.committed(outcome);
    }

    /**
     * After the last commit or a failure: the finished files' state is recorded (a rerun commits
     * them without computing); without checkpoints, files no commit can have taken are deleted.
     */
    void afterRun(boolean succeeded) {
      try {
        if (settings.checkpoints()) {
          record();
        } else if (!succeeded) {
          pending.stream()
              .filter(r -> !r.earlierFile() && !inCommitCalls.contains(r.fileName()))
              .forEach(
                  r ->
                      DataFiles.deleteQuietly(
                          DataFiles.dataFileUri(datasetUri, r.fileName()),
                          settings.storageOptions()));
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "backfill {} of {}: cannot record {} finished file(s): {}",
            column,
            datasetUri,
            unrecorded.size(),
            e.toString());
      }
    }
  }

  /** Totals over the receipts and commits so far (over every round), and the failed rows seen. */
  private final class Progress {
    private final BackfillPlan plan;
    private final String jobId;
    final List<RowError> errors = new ArrayList<>();
    int total;
    int done;
    long rows;
    long skipped;
    long failed;
    long computedSoFar;
    long reusedSoFar;
    long seenRows;
    long seenFailed;
    final Map<String, Integer> nodes = new java.util.TreeMap<>();
    List<String> code = List.of();
    int fragments;
    int commits;
    long version;

    /** Rows the latest round's filter selects. */
    long rowsInScope;

    /**
     * Rows in the run's scope that were current already: once the run has succeeded, every row in
     * scope is current, and those it did not compute (or fail) were before it.
     */
    long skippedInScope() {
      return Math.max(0, rowsInScope - rows - failed);
    }

    /** Rows of the fragments to look at, of those finished, and scanned in those in progress. */
    long rowsTotal;

    long rowsFinished;
    long rowsInFlight;
    final Map<Integer, Long> unitRows = new HashMap<>();

    Progress(BackfillPlan plan, String jobId) {
      this.plan = plan;
      this.rowsInScope = plan.rowsInScope();
      this.jobId = jobId;
      this.version = plan.version();
      this.total = plan.units().size() + plan.reused().size() + plan.upToDateFragments();
      this.done = plan.upToDateFragments() + plan.reused().size();
      this.skipped = plan.upToDateRows();
      this.rowsTotal = plan.upToDateRows();
      this.rowsFinished = plan.upToDateRows();
      addRows(plan);
    }

    private void addRows(BackfillPlan next) {
      for (WorkUnit u : next.units()) {
        unitRows.put(u.fragmentId(), u.liveRows());
        rowsTotal += u.liveRows();
      }
      long reused = next.reused().stream().mapToLong(r -> r.rowsComputed() + r.rowsReused()).sum();
      rowsTotal += reused;
      rowsFinished += reused;
    }

    /** A later round's plan: its fragments join the totals (its up-to-date ones were counted). */
    void nextRound(BackfillPlan next) {
      rowsInScope = next.rowsInScope();
      total += next.units().size() + next.reused().size();
      done += next.reused().size();
      addRows(next);
    }

    void finished(FragmentReceipt r) {
      rowsFinished += unitRows.getOrDefault(r.fragmentId(), r.rowsComputed() + r.rowsReused());
      rowsInFlight = 0; // the workers' next answer counts what is still in progress
      done++;
      if (r.rowsComputed() > 0) {
        nodes.merge(r.node() == null ? "local" : r.node(), 1, Integer::sum);
      }
      computedSoFar += r.rowsComputed();
      reusedSoFar += r.rowsReused();
      if (!r.changed()) {
        skipped += r.rowsReused();
      }
    }

    BackfillProgress snapshot(long started, boolean fragmentFinished) {
      long elapsed = Math.max(1, System.currentTimeMillis() - started);
      long doneRows = Math.min(rowsTotal, rowsFinished + rowsInFlight);
      double fraction =
          rowsTotal > 0 ? (double) doneRows / rowsTotal : (total == 0 ? 1 : (double) done / total);
      return new BackfillProgress(
          column,
          done,
          total,
          skipped + computedSoFar + reusedSoFar + rowsInFlight,
          (computedSoFar + rowsInFlight) * 1000.0 / elapsed,
          rowsTotal,
          Math.min(1, fraction),
          elapsed,
          fragmentFinished);
    }

    void committed(FragmentCommitter.Outcome outcome) {
      rows += outcome.committed().stream().mapToLong(FragmentReceipt::rowsComputed).sum();
      skipped += outcome.committed().stream().mapToLong(FragmentReceipt::rowsReused).sum();
      failed += outcome.committed().stream().mapToLong(FragmentReceipt::rowsFailed).sum();
      fragments += outcome.committed().size();
      commits += outcome.commits();
      version = outcome.version();
    }

    /** Under on_error = null, fails before a commit once too large a fraction of rows failed. */
    void checkErrors(FragmentReceipt receipt, ErrorPolicy policy) {
      seenRows += receipt.rowsComputed();
      seenFailed += receipt.rowsFailed();
      for (RowError e : receipt.errors()) {
        if (errors.size() < 100) {
          errors.add(e);
        }
      }
      if (seenRows > 0 && (double) seenFailed / seenRows > policy.maxErrorFraction()) {
        RowError first = errors.isEmpty() ? null : errors.get(0);
        throw new BackfillException(
            ErrorCode.LANCET_TOO_MANY_FAILED_ROWS,
            "column '"
                + column
                + "': "
                + seenFailed
                + " of "
                + seenRows
                + " rows failed, more than max_error_fraction "
                + policy.maxErrorFraction()
                + (first == null
                    ? ""
                    : "; first: row address "
                        + first.rowAddress()
                        + " ("
                        + first.inputs()
                        + "): "
                        + first.message()));
      }
    }

    BackfillJob record(JobStatus status, long started, long finished, String error) {
      double seconds =
          Math.max(
              0.001, ((finished == 0 ? System.currentTimeMillis() : finished) - started) / 1000.0);
      return new BackfillJob(
          jobId,
          column,
          settings.filter(),
          plan.udfVersion(),
          plan.version(),
          status,
          done,
          total,
          rows,
          status == JobStatus.SUCCEEDED ? skippedInScope() : skipped,
          failed,
          rows / seconds,
          version,
          started,
          finished,
          error,
          errors,
          code,
          nodes);
    }

    BackfillResult result() {
      return new BackfillResult(
          jobId, column, rows, skippedInScope(), failed, fragments, commits, version, nodes);
    }
  }

  /** The error a user should see: ours as it is, Ray's wrapping peeled off. */
  private RuntimeException userFacing(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BackfillException b) {
        return b;
      }
      if (t instanceof UdfException u) {
        return new BackfillException(u.code(), "column '" + column + "': " + u.getMessage(), u);
      }
    }
    return new BackfillException("column '" + column + "': a backfill task failed: " + e, e);
  }
}
