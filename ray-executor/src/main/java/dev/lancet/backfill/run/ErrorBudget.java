package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.RowError;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.ErrorPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * How many failed rows a job may have under {@code on_error = null}: the receipts' failures are
 * counted as they arrive, and once more than {@code max_error_fraction} of the rows computed so far
 * failed, the job fails before committing them. Keeps the first failed rows for the job record.
 */
final class ErrorBudget {
  /** Failed rows a job record keeps. */
  private static final int KEPT = 100;

  private final String column;
  private final List<RowError> first = new ArrayList<>();
  private long rows;
  private long failed;

  ErrorBudget(String column) {
    this.column = column;
  }

  /** Counts a receipt's rows and failures; throws once too large a fraction failed. */
  void check(FragmentReceipt receipt, ErrorPolicy policy) {
    rows += receipt.rowsComputed();
    failed += receipt.rowsFailed();
    for (RowError e : receipt.errors()) {
      if (first.size() < KEPT) {
        first.add(e);
      }
    }
    if (rows > 0 && (double) failed / rows > policy.maxErrorFraction()) {
      RowError e = first.isEmpty() ? null : first.get(0);
      throw new BackfillException(
          ErrorCode.LANCET_TOO_MANY_FAILED_ROWS,
          String.format(
              "column '%s': %d of %d rows failed, more than max_error_fraction %s%s",
              column,
              failed,
              rows,
              policy.maxErrorFraction(),
              e == null
                  ? ""
                  : String.format(
                      "; first: row address %d (%s): %s",
                      e.rowAddress(), e.inputs(), e.message())));
    }
  }

  /** The first failed rows seen (at most {@value #KEPT}). */
  List<RowError> firstErrors() {
    return List.copyOf(first);
  }
}
