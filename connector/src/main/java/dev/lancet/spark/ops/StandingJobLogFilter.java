package dev.lancet.spark.ops;

import dev.lancet.spark.engine.SparkEngine;
import dev.lancet.udf.LancetException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.message.Message;

/**
 * Keeps Spark's reports of what Lancet reports itself, or of its own cancels, out of the user's
 * log; everything else passes, and Spark's UI still shows the jobs:
 *
 * <ul>
 *   <li>the task of a {@link StatementJob}, killed when the backfill it stands for ends, which
 *       Spark's scheduler reports as a lost task ("WARN TaskSetManager: Lost task 0.0 ...
 *       TaskKilled (Stage cancelled: Job 1 cancelled ...)") after every BACKFILL: the job is
 *       cancelled with {@link #REASON}, and events that carry it are denied;
 *   <li>the tasks of a backfill on Spark's executors, killed when it is cancelled or fails: their
 *       jobs are cancelled with {@link SparkEngine#CANCEL_REASON};
 *   <li>the tasks of a materialized view's build or refresh, killed by a cancel (Ctrl-C, CANCEL
 *       BACKFILL) or failed: their jobs carry a tag starting {@link #VIEW_TAG}, and Spark's reports
 *       of them (the scheduler's lost task; the task's "Aborting task" with a stack trace and its
 *       aborted commit, logged on the task's thread; the write's abort on the driver) are denied:
 *       the statement's one-line error says what happened;
 *   <li>a task failed with Lancet's one-line error (a 1:N UDF that threw, with its inputs), which
 *       the failed statement reports: Spark's copies of it with a stack trace, on the executor
 *       ("Exception in task") and the driver ("Lost task"), are denied.
 * </ul>
 */
public final class StandingJobLogFilter extends AbstractFilter {
  /** The cancel reason of a standing job whose backfill ended; unique to it. */
  static final String REASON = "lancet: the backfill this job stood for has ended";

  /** The prefix of the Spark job tags of a view's build and refresh. */
  public static final String VIEW_TAG = "lancet-view-";

  private static volatile boolean installed;

  StandingJobLogFilter() {
    super(Filter.Result.DENY, Filter.Result.NEUTRAL);
  }

  /** Adds the filter to the process's log4j configuration, once (nothing without log4j core). */
  public static void install() {
    if (installed) {
      return;
    }
    synchronized (StandingJobLogFilter.class) {
      if (installed) {
        return;
      }
      installed = true;
      try {
        if (LogManager.getContext(false) instanceof LoggerContext context) {
          context.addFilter(new StandingJobLogFilter());
        }
      } catch (LinkageError noLog4jCore) {
        // another logging backend: Spark's warning stays
      }
    }
  }

  // A context-wide filter is asked before the event exists, with the logger's arguments; Spark
  // logs the warning as one formatted string.
  @Override
  public Result filter(Logger logger, Level level, Marker marker, String msg, Object... params) {
    Object last = params == null || params.length == 0 ? null : params[params.length - 1];
    return decide(logger.getName(), level, msg, last instanceof Throwable t ? t : null);
  }

  @Override
  public Result filter(Logger logger, Level level, Marker marker, Object msg, Throwable t) {
    return decide(logger.getName(), level, msg == null ? null : msg.toString(), t);
  }

  @Override
  public Result filter(Logger logger, Level level, Marker marker, Message msg, Throwable t) {
    return decide(logger.getName(), level, msg == null ? null : msg.getFormattedMessage(), t);
  }

  @Override
  public Result filter(LogEvent event) {
    return decide(
        event.getLoggerName(),
        event.getLevel(),
        event.getMessage() == null ? null : event.getMessage().getFormattedMessage(),
        event.getThrown());
  }

  /** Whether this driver thread submits a view's jobs now (its job tags name one). */
  private static boolean viewJobOnThisThread() {
    scala.Option<org.apache.spark.sql.SparkSession> session =
        org.apache.spark.sql.SparkSession.getActiveSession();
    String tags =
        session.isDefined()
            ? session.get().sparkContext().getLocalProperty("spark.job.tags")
            : null;
    return tags != null && tags.contains(VIEW_TAG);
  }

  private Result decide(String logger, Level level, String message, Throwable thrown) {
    if (level == Level.WARN
        && message != null
        && (message.contains(REASON)
            || message.contains(SparkEngine.CANCEL_REASON)
            || message.contains("cancelled job tag " + VIEW_TAG))) {
      return onMatch;
    }
    if (!level.isMoreSpecificThan(Level.WARN)) {
      return onMismatch;
    }
    if (logger == null || !logger.startsWith("org.apache.spark.")) {
      return onMismatch; // Lancet's own warnings, the UDF's: always shown
    }
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    String tags = task == null ? null : task.getLocalProperty("spark.job.tags");
    if (tags != null && tags.contains(VIEW_TAG)) {
      return onMatch; // a task of a view's job reporting its abort: the statement says why
    }
    if (task == null
        && message != null
        && message.startsWith("Data source write support")
        && viewJobOnThisThread()) {
      return onMatch; // the view's write aborting on the driver
    }
    if (lancets(thrown)
        || (message != null && message.contains(LancetException.class.getName() + ": "))) {
      // A task failed with Lancet's one-line error (a UDF's, with its inputs), which the failed
      // statement reports; Spark logs it again with a stack trace on the executor and the driver.
      return onMatch;
    }
    return onMismatch;
  }

  private static boolean lancets(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof LancetException) {
        return true;
      }
    }
    return false;
  }
}
