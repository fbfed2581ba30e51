package dev.lancet.backfill.internal;

import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.RowError;
import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.BackfillProgress;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.ray.RayRuntime;
import dev.lancet.udf.ErrorPolicy;
import dev.lancet.udf.UdfException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one backfill: plan, compute fragments on a pool of Ray actors, commit receipts in
 * groups of {@code commitGranularity} fragments as they arrive, and write the job record. On
 * failure, column files not yet committed are deleted and the first error is raised with its
 * own message; earlier commits stay.
 */
public final class BackfillRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillRunner.class);

  private final String datasetUri;
  private final Map<String, String> storageOptions;
  private final String column;
  private final BackfillSettings settings;
  private final int commitGranularity;
  private final String filter;
  private final Consumer<BackfillProgress> listener;

  public BackfillRunner(String datasetUri, String column, BackfillSettings settings) {
    this.datasetUri = datasetUri;
    this.column = column;
    this.settings = settings;
    this.storageOptions = settings.storageOptions();
    this.commitGranularity = settings.commitGranularity();
    this.filter = settings.filter();
    this.listener = settings.listener();
  }

  public BackfillResult run() {
    long started = System.currentTimeMillis();
    long t0 = System.nanoTime();
    BackfillPlan plan = BackfillPlanner.plan(datasetUri, storageOptions, column, settings.batchSize(), filter,
        settings.checkpoints(), settings.checkpointIntervalMillis());
    String jobId = UUID.randomUUID().toString();
    Progress progress = new Progress(plan.version());
    progress.skipped = plan.upToDateRows();
    int total = plan.units().size() + plan.upToDateFragments();
    int[] done = {plan.upToDateFragments()};
    if (plan.units().isEmpty()) {
      listener.accept(new BackfillProgress(column, done[0], total, progress.skipped, 0));
      JobRecords.write(datasetUri, storageOptions, progress.record(jobId, column, filter, plan, "succeeded", done[0], total,
          started, System.currentTimeMillis(), null));
      return progress.result(jobId, column);
    }
    long t1 = System.nanoTime();
    JobRecords.write(datasetUri, storageOptions, progress.record(jobId, column, filter, plan, "running", done[0], total, started,
        0, null));
    long t2 = System.nanoTime();
    RayRuntime.ensureStarted();
    LOG.info("backfill {} of {}: {} fragment(s) at version {}", column, datasetUri, plan.units().size(), plan.version());
    FragmentCommitter committer = new FragmentCommitter(datasetUri, storageOptions, plan.field(),
        Map.of("lancet.job_id", jobId, "lancet.column", column, "lancet.udf_version", plan.spec().version()));
    // With checkpoints on, workers record each finished file themselves, before the commit.
    CheckpointStore checkpoints = settings.checkpoints() ? null : new CheckpointStore(datasetUri, storageOptions, column);
    ErrorPolicy policy = plan.spec().errorPolicy();
    List<FragmentReceipt> pending = new ArrayList<>();
    RuntimeException[] failure = {null};
    long t3 = System.nanoTime();
    try (WorkerPool pool = new WorkerPool(Math.min(settings.concurrency(), plan.units().size()), plan.spec().resources(),
        plan.spec().version())) {
      pool.run(plan.units(), json -> {
        FragmentReceipt receipt = FragmentReceipt.fromJson(json);
        pending.add(receipt);
        done[0]++;
        long elapsed = Math.max(1, System.currentTimeMillis() - started);
        progress.computedSoFar += receipt.rowsComputed();
        progress.skippedSoFar += receipt.rowsReused();
        listener.accept(new BackfillProgress(column, done[0], total,
            progress.skipped + progress.computedSoFar + progress.skippedSoFar, progress.computedSoFar * 1000.0 / elapsed));
        if (failure[0] != null) {
          return;
        }
        try {
          progress.checkErrors(receipt, pending, policy);
          if (pending.size() >= commitGranularity) {
            progress.add(committer.commit(pending, plan.fragments()), checkpoints);
            pending.clear();
          }
        } catch (RuntimeException e) {
          failure[0] = e;
        }
      }, e -> failure[0] = failure[0] == null ? userFacing(e) : failure[0]);
    } catch (RuntimeException e) {
      failure[0] = failure[0] == null ? userFacing(e) : failure[0];
    }
    long t4 = System.nanoTime();
    if (failure[0] == null && !pending.isEmpty()) {
      try {
        progress.add(committer.commit(pending, plan.fragments()), checkpoints);
        pending.clear();
      } catch (RuntimeException e) {
        failure[0] = e;
      }
    }
    // Every worker call has finished, so no file is written after this. With checkpoints, the
    // uncommitted files are recorded as done and the next run commits them without computing.
    if (!settings.checkpoints()) {
      pending.stream().filter(r -> !r.earlierFile())
          .forEach(r -> DataFiles.deleteQuietly(DataFiles.dataFileUri(datasetUri, r.fileName())));
    }
    long t5 = System.nanoTime();
    JobRecords.write(datasetUri, storageOptions, progress.record(jobId, column, filter, plan,
        failure[0] == null ? "succeeded" : "failed", done[0], total, started, System.currentTimeMillis(),
        failure[0] == null ? null : failure[0].getMessage()));
    long t6 = System.nanoTime();
    if (failure[0] != null) {
      throw failure[0];
    }
    LOG.info("backfill {} of {}: {} row(s) in {} fragment(s), {} commit(s), now version {}; plan {} ms, job record {} ms,"
        + " compute {} ms, last commit {} ms, job record {} ms", column, datasetUri, progress.rows, progress.fragments,
        progress.commits, progress.version, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t4 - t3) / 1_000_000,
        (t5 - t4) / 1_000_000, (t6 - t5) / 1_000_000);
    return progress.result(jobId, column);
  }

  /** Totals over the commits made so far, and the failed rows seen. */
  private static final class Progress {
    long rows;
    long skipped;
    long computedSoFar;
    long skippedSoFar;
    long failed;
    int fragments;
    int commits;
    long version;
    long seenRows;
    long seenFailed;
    final List<RowError> errors = new ArrayList<>();

    Progress(long version) {
      this.version = version;
    }

    void add(FragmentCommitter.Outcome outcome, CheckpointStore checkpoints) {
      // Without checkpoints, a committed fragment is recorded as done under its key here, so
      // reruns and incremental runs skip it.
      if (checkpoints != null) {
        try (BufferAllocator allocator = Allocators.child("lancet-done")) {
          for (FragmentReceipt r : outcome.committed()) {
            checkpoints.markDone(r.fragmentKey(), r.fileName(), allocator);
          }
        }
      }
      rows += outcome.committed().stream().mapToLong(FragmentReceipt::rowsComputed).sum();
      skipped += outcome.committed().stream().mapToLong(FragmentReceipt::rowsReused).sum();
      failed += outcome.committed().stream().mapToLong(FragmentReceipt::rowsFailed).sum();
      fragments += outcome.committed().size();
      commits += outcome.commits();
      version = outcome.version();
    }

    /** Under on_error = null, fails before a commit once too large a fraction of rows failed. */
    void checkErrors(FragmentReceipt receipt, List<FragmentReceipt> pending, ErrorPolicy policy) {
      seenRows += receipt.rowsComputed();
      seenFailed += receipt.rowsFailed();
      for (RowError e : receipt.errors()) {
        if (errors.size() < 100) {
          errors.add(e);
        }
      }
      if (seenRows > 0 && (double) seenFailed / seenRows > policy.maxErrorFraction()) {
        RowError first = errors.isEmpty() ? null : errors.get(0);
        throw new BackfillException(seenFailed + " of " + seenRows + " rows failed, more than max_error_fraction "
            + policy.maxErrorFraction() + (first == null ? "" : "; first: row address " + first.rowAddress() + " ("
            + first.inputs() + "): " + first.message()));
      }
    }

    BackfillJob record(String jobId, String column, String filter, BackfillPlan plan, String status, int fragmentsDone,
        int fragmentsTotal, long started, long finished, String error) {
      double seconds = Math.max(0.001, ((finished == 0 ? System.currentTimeMillis() : finished) - started) / 1000.0);
      return new BackfillJob(jobId, column, filter, plan.spec().version(), plan.version(), status, fragmentsDone, fragmentsTotal,
          rows, skipped, failed, rows / seconds, version, started, finished, error, errors);
    }

    BackfillResult result(String jobId, String column) {
      return new BackfillResult(jobId, column, rows, skipped, failed, fragments, commits, version);
    }
  }

  /** The error a user should see: ours as it is, Ray's wrapping peeled off. */
  private RuntimeException userFacing(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BackfillException b) {
        return b;
      }
      if (t instanceof UdfException u) {
        return new BackfillException("column '" + column + "': " + u.getMessage(), u);
      }
    }
    return new BackfillException("column '" + column + "': a backfill task failed: " + e, e);
  }
}
