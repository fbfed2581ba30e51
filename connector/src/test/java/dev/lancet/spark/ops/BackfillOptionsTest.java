package dev.lancet.spark.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.LancetOption;
import dev.lancet.udf.OnError;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillOptionsTest {
  @Test
  void everyOptionParsesToItsType() {
    BackfillOptions o =
        BackfillOptions.parse(
            Map.of(
                "batch_size",
                "512",
                "commit_granularity",
                "8",
                "commit_interval",
                "30",
                "concurrency",
                "3",
                "checkpoint",
                "FALSE",
                "checkpoint_interval",
                "0",
                "on_error",
                " Null ",
                "max_error_fraction",
                "0.25"));
    assertEquals(512, (int) o.get(LancetOption.BATCH_SIZE));
    assertEquals(8, (int) o.get(LancetOption.COMMIT_GRANULARITY));
    assertEquals(Duration.ofSeconds(30), o.get(LancetOption.COMMIT_INTERVAL));
    assertEquals(3, (int) o.get(LancetOption.CONCURRENCY));
    assertEquals(false, o.get(LancetOption.CHECKPOINT));
    assertEquals(Duration.ZERO, o.get(LancetOption.CHECKPOINT_INTERVAL));
    assertEquals(OnError.NULL, o.get(LancetOption.ON_ERROR));
    assertEquals(0.25, (double) o.get(LancetOption.MAX_ERROR_FRACTION));
    assertNull(BackfillOptions.NONE.get(LancetOption.BATCH_SIZE));
  }

  @Test
  void aBadValueGetsOneLineNamingTheOptionAndTheValue() {
    assertEquals(
        "BACKFILL option 'batch_size' must be a positive integer, got '0'",
        BackfillOptions.problem("batch_size", "0"));
    assertEquals(
        "BACKFILL option 'commit_interval' must be a whole number of seconds (1 or more), got '0'",
        BackfillOptions.problem("commit_interval", "0"));
    assertEquals(
        "BACKFILL option 'checkpoint_interval' must be a whole number of seconds (0 or more), got"
            + " '-1'",
        BackfillOptions.problem("checkpoint_interval", "-1"));
    assertEquals(
        "BACKFILL option 'checkpoint' must be true or false, got 'yes'",
        BackfillOptions.problem("checkpoint", "yes"));
    assertEquals(
        "BACKFILL option 'on_error' must be 'fail', 'null' or 'retry', got 'skip'",
        BackfillOptions.problem("on_error", "skip"));
    assertEquals(
        "BACKFILL option 'max_error_fraction' must be a number between 0 and 1, got '2'",
        BackfillOptions.problem("max_error_fraction", "2"));
    LancetException unknown =
        assertThrows(LancetException.class, () -> BackfillOptions.parse(Map.of("batchsize", "1")));
    assertEquals(ErrorCode.LANCET_INVALID_OPTION, unknown.code());
    assertEquals(
        "unknown BACKFILL option 'batchsize' (did you mean 'batch_size'?); known options:"
            + " [batch_size, checkpoint, checkpoint_interval, commit_granularity, commit_interval,"
            + " concurrency, engine, max_error_fraction, on_error, task_size]",
        unknown.getMessage());
    assertNull(BackfillOptions.problem("concurrency", " 2 "));
  }

  @Test
  void aColumnOptionGivenToARunSaysWhereItBelongs() {
    assertEquals(
        "option 'num_cpus' is the column's, not a BACKFILL's: set it with ALTER TABLE ... ALTER"
            + " COLUMN ... SET UDF ... OPTIONS (num_cpus = ...)",
        BackfillOptions.problem("num_cpus", "2"));
  }
}
