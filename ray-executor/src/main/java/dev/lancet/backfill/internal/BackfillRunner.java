package dev.lancet.backfill.internal;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.ray.RayRuntime;
import dev.lancet.udf.UdfException;
import io.ray.api.ObjectRef;
import io.ray.api.Ray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one backfill: plan, run one Ray task per fragment, commit receipts in groups of
 * {@code commitGranularity} fragments as they arrive. On failure, files not yet committed are
 * deleted and the first error is raised with its own message; earlier commits stay.
 */
public final class BackfillRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillRunner.class);

  private final String datasetUri;
  private final Map<String, String> storageOptions;
  private final String column;
  private final int batchSize;
  private final int commitGranularity;

  public BackfillRunner(String datasetUri, Map<String, String> storageOptions, String column, int batchSize, int commitGranularity) {
    this.datasetUri = datasetUri;
    this.storageOptions = storageOptions;
    this.column = column;
    this.batchSize = batchSize;
    this.commitGranularity = commitGranularity;
  }

  public BackfillResult run() {
    BackfillPlan plan = BackfillPlanner.plan(datasetUri, storageOptions, column, batchSize);
    String jobId = UUID.randomUUID().toString();
    if (plan.units().isEmpty()) {
      return new BackfillResult(jobId, column, 0, 0, 0, plan.version());
    }
    RayRuntime.ensureStarted();
    LOG.info("backfill {} of {}: {} fragment(s) at version {}", column, datasetUri, plan.units().size(), plan.version());
    List<ObjectRef<String>> refs = new ArrayList<>();
    for (WorkUnit unit : plan.units()) {
      refs.add(Ray.task(FragmentTask::run, unit.toJson()).remote());
    }
    FragmentCommitter committer = new FragmentCommitter(datasetUri, storageOptions, plan.fieldId(),
        Map.of("lancet.job_id", jobId, "lancet.column", column, "lancet.udf_version", plan.spec().version()));
    Progress progress = new Progress(plan.version());
    List<FragmentReceipt> pending = new ArrayList<>();
    RuntimeException failure = null;
    for (ObjectRef<String> ref : refs) {
      FragmentReceipt receipt;
      try {
        receipt = FragmentReceipt.fromJson(Ray.get(ref));
      } catch (RuntimeException e) {
        failure = failure == null ? userFacing(e) : failure;
        continue;
      }
      pending.add(receipt);
      if (failure == null && pending.size() >= commitGranularity) {
        progress.add(committer.commit(pending, plan.fragments()));
        pending.clear();
      }
    }
    if (failure != null) {
      // Every task has finished (each ref was awaited), so no file is written after this.
      pending.forEach(r -> DataFiles.deleteQuietly(DataFiles.dataFileUri(datasetUri, r.fileName())));
      throw failure;
    }
    if (!pending.isEmpty()) {
      progress.add(committer.commit(pending, plan.fragments()));
    }
    LOG.info("backfill {} of {}: {} row(s) in {} fragment(s), {} commit(s), now version {}", column, datasetUri,
        progress.rows, progress.fragments, progress.commits, progress.version);
    return new BackfillResult(jobId, column, progress.rows, progress.fragments, progress.commits, progress.version);
  }

  /** Totals over the commits made so far. */
  private static final class Progress {
    long rows;
    int fragments;
    int commits;
    long version;

    Progress(long version) {
      this.version = version;
    }

    void add(FragmentCommitter.Outcome outcome) {
      rows += outcome.committed().stream().mapToLong(FragmentReceipt::rowsComputed).sum();
      fragments += outcome.committed().size();
      commits += outcome.committed().isEmpty() ? 0 : 1;
      version = outcome.version();
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
