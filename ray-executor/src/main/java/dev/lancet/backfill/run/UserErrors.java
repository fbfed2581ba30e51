package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillCancelledException;
import dev.lancet.backfill.BackfillControl;
import dev.lancet.backfill.BackfillException;

/** The errors a backfill's user sees, from what its workers and engine threw. */
final class UserErrors {
  private UserErrors() {}

  /**
   * Ours as it is; a UDF's or an engine's with the column; the engine's wrapping (Ray's) peeled
   * off.
   */
  static RuntimeException of(String column, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // A UDF's failure, or an engine's refusal (its resources, its mode): Lancet's code and
      // words, with the column.
      BackfillException ours = BackfillException.ofColumn(column, t);
      if (ours != null) {
        return ours;
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
