package dev.lancet.spark.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/**
 * Which of Spark's log events the filter keeps from the user: only Lancet's own cancels' and
 * errors'.
 */
class StandingJobLogFilterTest {
  private final StandingJobLogFilter filter = new StandingJobLogFilter();

  private Filter.Result decide(String logger, Level level, String message, Throwable thrown) {
    return filter.filter(
        Log4jLogEvent.newBuilder()
            .setLoggerName(logger)
            .setLevel(level)
            .setMessage(new SimpleMessage(message))
            .setThrown(thrown)
            .build());
  }

  @Test
  void sparksCopiesOfATaskFailedWithLancetsOneLineErrorAreDenied() {
    LancetException udf =
        new LancetException(
            ErrorCode.LANCET_UDF_FAILED, "table function com.acme.X failed on inputs [a]: boom");
    assertEquals(
        Filter.Result.DENY,
        decide(
            "org.apache.spark.scheduler.TaskSetManager",
            Level.WARN,
            "Lost task 0.0 in stage 3.0 (TID 3) (host executor driver): " + udf,
            null));
    assertEquals(
        Filter.Result.DENY,
        decide(
            "org.apache.spark.executor.Executor",
            Level.ERROR,
            "Exception in task 0.0 in stage 3.0 (TID 3)",
            new RuntimeException("wrapped", udf)));
  }

  @Test
  void lancetsOwnWarningsAndSparksOtherEventsPass() {
    LancetException e = new LancetException(ErrorCode.LANCET_STORAGE_ERROR, "disk full");
    assertEquals(
        Filter.Result.NEUTRAL,
        decide("dev.lancet.spark.views.MaterializedViews", Level.WARN, "cannot drop: " + e, e));
    assertEquals(
        Filter.Result.NEUTRAL,
        decide(
            "org.apache.spark.scheduler.TaskSetManager",
            Level.WARN,
            "Lost task 0.0 in stage 1.0: java.lang.OutOfMemoryError",
            null));
  }

  @Test
  void theLostTasksOfLancetsOwnCancelsAreDenied() {
    assertEquals(
        Filter.Result.DENY,
        decide(
            "org.apache.spark.scheduler.TaskSetManager",
            Level.WARN,
            "Lost task 0.0 (TID 1): TaskKilled (Stage cancelled: Job 1 cancelled "
                + StandingJobLogFilter.REASON
                + ")",
            null));
    assertEquals(
        Filter.Result.DENY,
        decide(
            "org.apache.spark.scheduler.TaskSetManager",
            Level.WARN,
            "Lost task 44.0 (TID 416): TaskKilled (Stage cancelled: Job 6 cancelled part of"
                + " cancelled job tag "
                + StandingJobLogFilter.VIEW_TAG
                + "refresh-b895)",
            null));
    assertEquals(
        Filter.Result.DENY,
        decide(
            "org.apache.spark.scheduler.TaskSetManager",
            Level.WARN,
            "Lost task 5.0 in stage 6.0 (TID 11) (192.0.2.2 executor driver): TaskKilled (Stage"
                + " cancelled: Job 4 cancelled "
                + dev.lancet.spark.engine.SparkEngine.CANCEL_REASON
                + ")",
            null),
        "a backfill on Spark's executors, stopped by Ctrl-C: the statement says so in one line");
  }
}
