package dev.lancet.spark.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.collection.JavaConverters;

/**
 * Tells when a {@link StatementJob}'s job is over, its task included, as Spark's scheduler saw it:
 * its job has ended and every task it started has ended. Spark posts a task's start before a
 * cancel's job end, and a task's end only once the scheduler has handled the task's last report, so
 * a session stopped after this never gets a report it cannot handle (which Spark logs as an error
 * with a stack trace). The job is known by a local property set before it is submitted.
 */
final class StandingTaskEnds extends SparkListener {
  /** The local property that names the standing job of one statement. */
  static final String PROPERTY = "lancet.standing-job";

  private final String id;
  private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
  private volatile Integer jobId;
  private volatile boolean jobEnded;
  private int started;
  private int ended;

  StandingTaskEnds(String id) {
    this.id = id;
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    if (start.properties() != null && id.equals(start.properties().getProperty(PROPERTY))) {
      JavaConverters.seqAsJavaList(start.stageIds()).forEach(s -> stages.add((Integer) s));
      jobId = start.jobId();
    }
  }

  @Override
  public synchronized void onTaskStart(SparkListenerTaskStart task) {
    if (stages.contains(task.stageId())) {
      started++;
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
    if (stages.contains(task.stageId())) {
      ended++;
      notifyAll();
    }
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd end) {
    Integer mine = jobId;
    if (mine != null && mine == end.jobId()) {
      jobEnded = true;
      notifyAll();
    }
  }

  /** Waits (at most {@code millis}) until the job has ended and every task it started has. */
  synchronized boolean awaitOver(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!jobEnded || started > ended) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
