package dev.lancet.spark.engine;

import dev.lancet.backfill.BackfillException;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;

/**
 * What a Spark task sends back: the task's result, or its failure as a code and a one-line message.
 * A failure travels as a value, not as a thrown exception, so Spark does not retry a task whose UDF
 * failed (the UDF's own error policy has run) and the driver gets Lancet's code and message, not
 * Spark's stack of wrappers.
 */
final class TaskOutcome {
  private static final String FAILED = "!lancet-task-failed\t";

  private TaskOutcome() {}

  static String failure(RuntimeException e) {
    ErrorCode code = e instanceof LancetException l ? l.code() : ErrorCode.LANCET_BACKFILL_FAILED;
    String message = e instanceof LancetException ? e.getMessage() : e.toString();
    return FAILED + code.name() + "\t" + message;
  }

  /** The failure a task sent, or null when it sent a result. */
  static BackfillException failureOf(String outcome) {
    if (!outcome.startsWith(FAILED)) {
      return null;
    }
    String rest = outcome.substring(FAILED.length());
    int tab = rest.indexOf('\t');
    return new BackfillException(
        ErrorCode.valueOf(rest.substring(0, tab)), rest.substring(tab + 1));
  }
}
