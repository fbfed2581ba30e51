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

  /** Whether {@link #cancel(String)} was called. */
  public boolean isCancelled() {
    return reason != null;
  }

  /** Why it was cancelled, or null. */
  public String reason() {
    return reason;
  }
}
