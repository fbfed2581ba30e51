package dev.lancet.backfill;

/**
 * Stops a running backfill from another thread: {@link Backfill#control(BackfillControl)} gives it
 * to a backfill, {@link #cancel(String)} stops it. Its workers stop within a batch, what they
 * finished stays checkpointed (the next run resumes from it), nothing more is committed, and the
 * job is recorded {@link JobStatus#CANCELLED}; {@link Backfill#run()} then throws {@link
 * BackfillCancelledException}.
 */
public final class BackfillControl {
  private volatile String reason;
  private final java.util.List<Runnable> onCancel =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.List<Runnable> onWork = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean working;

  /** Asks the backfill to stop; the first reason given is kept. */
  public void cancel(String why) {
    boolean first = false;
    synchronized (this) {
      if (reason == null) {
        reason = why == null || why.isBlank() ? "cancelled" : why;
        first = true;
      }
    }
    if (first) {
      onCancel.forEach(Runnable::run);
    }
  }

  /**
   * Runs {@code action} when the backfill is cancelled (at once if it is already). For the engine.
   */
  public void onCancel(Runnable action) {
    onCancel.add(action);
    if (isCancelled()) {
      action.run();
    }
  }

  /**
   * Runs {@code action} on the backfill's thread when it starts work: once its plan has rows to
   * compute or fragments to commit, before any job record or task; never for a backfill with
   * nothing to do. For what only a working backfill needs (a client's standing Spark job).
   */
  public void onWork(Runnable action) {
    onWork.add(action);
  }

  /**
   * The backfill starts work: runs the {@link #onWork} actions, once, however many runners share
   * this control (the columns of one statement run together). For the runner.
   */
  public void working() {
    synchronized (this) {
      if (working) {
        return;
      }
      working = true;
    }
    onWork.forEach(Runnable::run);
  }

  /** Whether {@link #cancel(String)} was called. */
  public boolean isCancelled() {
    return reason != null;
  }

  /** Why it was cancelled, or null. */
  public String reason() {
    return reason;
  }
}
