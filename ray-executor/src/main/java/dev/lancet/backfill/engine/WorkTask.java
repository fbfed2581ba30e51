package dev.lancet.backfill.engine;

import dev.lancet.backfill.plan.FusedGroups;
import dev.lancet.backfill.plan.WorkGroup;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One task of a backfill as an engine sees it: a work group (fragments of one column, computed by
 * one worker in one go), or several columns' groups over the same rows computed from one scan
 * ({@link FusedGroups}), shipped as JSON to a {@link TaskWorker}. Engines use only its JSON and its
 * description.
 */
public final class WorkTask {
  private final List<WorkGroup> groups;
  private final boolean fused;

  private WorkTask(List<WorkGroup> groups, boolean fused) {
    this.groups = List.copyOf(groups);
    this.fused = fused;
  }

  /** The task of a planned work group (the runner's). */
  public static WorkTask of(WorkGroup group) {
    return new WorkTask(List.of(group), false);
  }

  /**
   * One task for several columns' groups over the same rows (or one column's group), computed from
   * one scan; its result names each group's column ({@link FusedGroups.Results}).
   */
  public static WorkTask fused(List<WorkGroup> groups) {
    return new WorkTask(groups, true);
  }

  /** Its groups: one, or one per fused column. */
  public List<WorkGroup> groups() {
    return groups;
  }

  /** What a worker receives: {@link TaskWorker#compute} takes it. */
  public String json() {
    return fused ? new FusedGroups(groups).toJson() : groups.get(0).toJson();
  }

  /** The same task run again after its worker was lost: it resumes from its checkpoints. */
  public WorkTask retried() {
    return new WorkTask(groups.stream().map(WorkGroup::retry).toList(), fused);
  }

  /** The fragments it computes, for logs and errors ("fragments 3, 4 of t"). */
  public String describe() {
    return groups.get(0).describe();
  }

  /** The column it computes ("a, b" for fused columns). */
  public String column() {
    return groups.stream().map(WorkGroup::column).collect(Collectors.joining(", "));
  }

  /** The first fragment it computes (its group's first, in scan order). */
  public int firstFragment() {
    return groups.get(0).first().fragmentId();
  }

  /** The backfill job it belongs to (the first column's, for fused columns). */
  public String jobId() {
    return groups.get(0).first().jobId();
  }
}
