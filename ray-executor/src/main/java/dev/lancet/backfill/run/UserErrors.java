package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillCancelledException;
import dev.lancet.backfill.BackfillControl;
import dev.lancet.backfill.BackfillException;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.UdfException;

/** The errors a backfill's user sees, from what its workers and engine threw. */
final class UserErrors {
  private UserErrors() {}

  /**
   * Ours as it is; a UDF's or an engine's with the column; the engine's wrapping (Ray's) peeled
   * off.
   */
  static RuntimeException of(String column, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BackfillException b) {
        return b;
      }
      if (t instanceof UdfException u) {
        return new BackfillException(u.code(), "column '" + column + "': " + u.getMessage(), u);
      }
      if (t instanceof LancetException l) {
        // An engine's refusal (its resources, its mode): Lancet's code and words, with the column.
        return new BackfillException(l.code(), "column '" + column + "': " + l.getMessage(), l);
      }
    }
    return new BackfillException("column '" + column + "': a backfill task failed: " + e, e);
  }

  /** A cancelled job, with the reason its control was given. */
  static BackfillCancelledException cancelled(String column, BackfillControl control) {
    return new BackfillCancelledException(
        "column '"
            + column
            + "': the backfill was cancelled ("
            + control.reason()
            + "); what it finished is checkpointed, and the next run resumes from it");
  }
}
