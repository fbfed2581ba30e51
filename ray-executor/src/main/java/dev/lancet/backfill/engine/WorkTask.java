package dev.lancet.backfill.engine;

import dev.lancet.backfill.plan.WorkGroup;

/**
 * One task of a backfill as an engine sees it: a work group (fragments of one column, computed by
 * one worker in one go), shipped as JSON to a {@link TaskWorker}. Engines use only its JSON and its
 * description.
 */
public final class WorkTask {
  private final WorkGroup group;

  private WorkTask(WorkGroup group) {
    this.group = group;
  }

  /** The task of a planned work group (the runner's). */
  public static WorkTask of(WorkGroup group) {
    return new WorkTask(group);
  }

  /** What a worker receives: {@link TaskWorker#compute} takes it. */
  public String json() {
    return group.toJson();
  }

  /** The same task run again after its worker was lost: it resumes from its checkpoints. */
  public WorkTask retried() {
    return new WorkTask(group.retry());
  }

  /** The fragments it computes, for logs and errors ("fragments 3, 4 of t"). */
  public String describe() {
    return group.describe();
  }

  /** The column it computes. */
  public String column() {
    return group.column();
  }

  /** The backfill job it belongs to. */
  public String jobId() {
    return group.first().jobId();
  }
}
