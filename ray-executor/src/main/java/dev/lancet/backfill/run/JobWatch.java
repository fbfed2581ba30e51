package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillControl;
import dev.lancet.backfill.store.JobSignals;
import dev.lancet.lance.Allocators;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Watches a running job from its driver: writes its heartbeat every {@value
 * JobSignals#HEARTBEAT_MILLIS} ms and looks every second for a request to cancel it (written by
 * {@code CANCEL BACKFILL} in another session), which it hands to the job's control. Closing it
 * removes the job's signals. Public for {@link dev.lancet.backfill.WatchedJob}, which watches work
 * of other kinds.
 */
public final class JobWatch implements AutoCloseable {
  private final ScheduledExecutorService timer;
  private final JobSignals signals;
  private final String jobId;

  private JobWatch(ScheduledExecutorService timer, JobSignals signals, String jobId) {
    this.timer = timer;
    this.signals = signals;
    this.jobId = jobId;
  }

  /**
   * Starts watching; {@code first} runs on the watch's thread before anything else (the job's
   * running record, written while the job plans its tasks rather than before). Closing the watch
   * waits for it.
   */
  public static JobWatch start(
      JobSignals signals, String jobId, BackfillControl control, Runnable first) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lancet-job-" + jobId.substring(0, 8));
              t.setDaemon(true);
              return t;
            });
    timer.execute(first);
    long[] lastBeat = {0};
    timer.scheduleWithFixedDelay(
        () -> {
          try (BufferAllocator allocator = Allocators.child("lancet-job-watch")) {
            long now = System.currentTimeMillis();
            if (now - lastBeat[0] >= JobSignals.HEARTBEAT_MILLIS) {
              signals.heartbeat(jobId, allocator);
              lastBeat[0] = now;
            }
            String reason = signals.cancelRequested(jobId, allocator);
            if (reason != null) {
              control.cancel(reason);
            }
          } catch (RuntimeException e) {
            // the next tick tries again
          }
        },
        0,
        1,
        TimeUnit.SECONDS);
    return new JobWatch(timer, signals, jobId);
  }

  @Override
  public void close() {
    // Not shutdownNow: the first task (the running record) must end before the job's final record
    // is written, or a reader would take the running one for the latest.
    timer.shutdown();
    if (!ended()) {
      timer.shutdownNow();
      ended();
    }
    signals.forget(jobId);
  }

  /** Waits up to 5 s for the watch's thread to end; whether it did. */
  private boolean ended() {
    try {
      return timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
