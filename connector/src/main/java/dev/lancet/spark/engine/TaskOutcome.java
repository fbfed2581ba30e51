package dev.lancet.spark.engine;

import dev.lancet.backfill.BackfillException;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.UdfException;

/**
 * What a Spark task sends back: the task's result, or its failure as its kind, code and one-line
 * message. A failure travels as a value, not as a thrown exception, so Spark does not retry a task
 * whose UDF failed (the UDF's own error policy has run) and the driver gets the exception Ray's
 * workers would have raised (a UDF's, the backfill's, Lancet's), not Spark's stack of wrappers.
 */
final class TaskOutcome {
  private static final String FAILED = "!lancet-task-failed\t";

  /** The kinds of failure the driver tells apart (a UDF's message gets the column's name). */
  private enum Kind {
    UDF,
    BACKFILL,
    LANCET,
    OTHER
  }

  private TaskOutcome() {}

  static String failure(RuntimeException e) {
    Kind kind =
        e instanceof UdfException
            ? Kind.UDF
            : e instanceof BackfillException
                ? Kind.BACKFILL
                : e instanceof LancetException ? Kind.LANCET : Kind.OTHER;
    ErrorCode code = e instanceof LancetException l ? l.code() : ErrorCode.LANCET_BACKFILL_FAILED;
    String message = kind == Kind.OTHER ? e.toString() : e.getMessage();
    return FAILED + kind + "\t" + code.name() + "\t" + message;
  }

  /** The failure a task sent, or null when it sent a result. */
  static RuntimeException failureOf(String outcome) {
    if (!outcome.startsWith(FAILED)) {
      return null;
    }
    String[] parts = outcome.substring(FAILED.length()).split("\t", 3);
    ErrorCode code = ErrorCode.valueOf(parts[1]);
    String message = parts[2];
    return switch (Kind.valueOf(parts[0])) {
      case UDF -> new UdfException(code, message);
      case LANCET -> new LancetException(code, message);
      case BACKFILL -> new BackfillException(code, message);
      case OTHER ->
          new BackfillException(code, "a backfill task failed on an executor: " + message);
    };
  }
}
