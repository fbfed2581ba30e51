package dev.lancet.backfill.run;

import dev.lancet.backfill.commit.FragmentCommitter;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.compute.CheckpointStore;
import dev.lancet.backfill.plan.BackfillPlan;
import dev.lancet.backfill.plan.BackfillSettings;
import dev.lancet.backfill.store.ColumnState;
import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.DataFiles;
import dev.lancet.lance.TableLocation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A round's receipts on their way from the workers to the table: each changed file's state is
 * recorded (at each commit, and at least every checkpoint interval), then receipts are committed in
 * groups ({@link CommitCadence}). A file is never in the table without its state.
 */
final class CommitQueue {
  private static final Logger LOG = LoggerFactory.getLogger(CommitQueue.class);

  private final TableLocation table;
  private final String column;
  private final String jobId;
  private final BackfillSettings settings;
  private final BackfillPlan plan;
  private final ColumnState state;
  private final FragmentCommitter committer;
  private final JobProgress progress;
  private final CommitCadence cadence;
  private final List<FragmentReceipt> pending = new ArrayList<>();
  private final List<FragmentReceipt> unrecorded = new ArrayList<>();
  private final Set<String> inCommitCalls = new HashSet<>();
  private long lastRecord = System.nanoTime();

  CommitQueue(
      String column,
      BackfillSettings settings,
      BackfillPlan plan,
      ColumnState state,
      FragmentCommitter committer,
      JobProgress progress) {
    this.table = settings.table();
    this.column = column;
    this.jobId = settings.jobId();
    this.settings = settings;
    this.plan = plan;
    this.state = state;
    this.committer = committer;
    this.progress = progress;
    this.cadence =
        CommitCadence.of(
            settings.commitGranularity(),
            settings.commitIntervalMillis(),
            plan.units().size() + plan.reused().size());
  }

  /** Files an earlier run finished (and recorded), to commit without computing. */
  void addAll(List<FragmentReceipt> reused) {
    pending.addAll(reused);
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
   * Adds a worker call's receipts in order; when a commit fails, the receipts after it are kept
   * (recorded for the rerun) and the failure is thrown.
   */
  void addFinished(List<FragmentReceipt> receipts) {
    for (int i = 0; i < receipts.size(); i++) {
      try {
        add(receipts.get(i));
      } catch (RuntimeException commitFailed) {
        receipts.subList(i + 1, receipts.size()).forEach(this::keep);
        throw commitFailed;
      }
    }
  }

  /**
   * Keeps a finished file for the end of the run (recorded, or deleted without checkpoints) without
   * committing it.
   */
  private void keep(FragmentReceipt receipt) {
    if (receipt.changed()) {
      pending.add(receipt);
      unrecorded.add(receipt);
    }
  }

  /**
   * Deletes the files of receipts that must not be committed or reused (none was seen by a commit).
   */
  void discard(List<FragmentReceipt> receipts) {
    receipts.stream()
        .filter(r -> r.changed() && !r.earlierFile() && !r.checkpointed())
        .forEach(
            r ->
                DataFiles.deleteQuietly(
                    DataFiles.dataFileUri(table, r.fileName()), table.storageOptions()));
  }

  /**
   * Records the unrecorded receipts' state (one append), then drops their workers' checkpoint
   * records.
   */
  private void record() {
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
              r.withStale(plan.staleKeptBy(r)).toJson(),
              jobId,
              now));
    }
    try (BufferAllocator allocator = Allocators.child("lancet-state")) {
      state.record(entries, allocator);
    }
    CheckpointStore store = new CheckpointStore(table, column);
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
   * After the last commit or a failure: the finished files' state is recorded (a rerun commits them
   * without computing); without checkpoints, files no commit can have taken are deleted.
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
                        DataFiles.dataFileUri(table, r.fileName()), table.storageOptions()));
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "backfill {} of {}: cannot record {} finished file(s): {}",
          column,
          table.uri(),
          unrecorded.size(),
          e.toString());
    }
  }
}
