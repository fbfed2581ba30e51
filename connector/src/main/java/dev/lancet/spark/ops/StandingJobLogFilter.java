package dev.lancet.spark.ops;

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
 * Keeps Spark's warning about the task of a {@link StatementJob} out of the user's log. That job's
 * task is killed when the backfill it stands for ends, which Spark's scheduler reports as a lost
 * task ("WARN TaskSetManager: Lost task 0.0 ... TaskKilled (Stage cancelled: Job 1 cancelled ...)")
 * after every BACKFILL. The job is cancelled with {@link #REASON}, and events that carry it are
 * denied; everything else passes, and Spark's UI still shows the job.
 */
final class StandingJobLogFilter extends AbstractFilter {
  /** The cancel reason of a standing job whose backfill ended; unique to it. */
  static final String REASON = "lancet: the backfill this job stood for has ended";

  private static volatile boolean installed;

  private StandingJobLogFilter() {
    super(Filter.Result.DENY, Filter.Result.NEUTRAL);
  }

  /** Adds the filter to the process's log4j configuration, once (nothing without log4j core). */
  static void install() {
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
    return decide(level, msg);
  }

  @Override
  public Result filter(Logger logger, Level level, Marker marker, Object msg, Throwable t) {
    return decide(level, msg == null ? null : msg.toString());
  }

  @Override
  public Result filter(Logger logger, Level level, Marker marker, Message msg, Throwable t) {
    return decide(level, msg == null ? null : msg.getFormattedMessage());
  }

  @Override
  public Result filter(LogEvent event) {
    return decide(
        event.getLevel(),
        event.getMessage() == null ? null : event.getMessage().getFormattedMessage());
  }

  private Result decide(Level level, String message) {
    return level == Level.WARN && message != null && message.contains(REASON)
        ? onMatch
        : onMismatch;
  }
}
