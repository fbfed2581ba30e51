package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.RowError;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.ErrorPolicy;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many failed rows a job may have under {@code on_error = null}: the receipts' failures are
 * counted as they arrive, and once more than {@code max_error_fraction} of the rows computed so far
 * failed, the job fails before committing them. A row that failed before (in an earlier job, or an
 * earlier round of this one) and fails again is reported but not judged again, on either side of
 * the fraction: failed rows are not current, so every rerun computes them, and a UDF that fails on
 * them for good would otherwise fail every later backfill whose other work is small. Which rows
 * failed is read from the errors table, where the worker recorded them before its receipt came.
 * Keeps the first failed rows for the job record.
 */
final class ErrorBudget {
  /** Failed rows a job record keeps. */
  private static final int KEPT = 100;

  /** Where the failed rows are recorded (the errors table). */
  interface FailureRecords {
    /** The slots of rows earlier jobs recorded as failed, by fragment id. */
    Map<Integer, BitSet> earlierJobs();

    /** The slots of a fragment's rows this job recorded as failed, in any of its rounds. */
    BitSet thisJob(int fragmentId);
  }

  private final String column;
  private final FailureRecords records;
  private final List<RowError> first = new ArrayList<>();
  private final Map<Integer, BitSet> failedThisJob = new HashMap<>();
  private Map<Integer, BitSet> earlier;
  private long rows;
  private long failed;
  private long failedAgain;

  /** The first failed row that had not failed before: the example a too-many error names. */
  private RowError firstNew;

  ErrorBudget(String column, FailureRecords records) {
    this.column = column;
    this.records = records;
  }

  /** Counts a receipt's rows and failures; throws once too large a fraction failed. */
  void check(FragmentReceipt receipt, ErrorPolicy policy) {
    long again = receipt.rowsFailed() == 0 ? 0 : failedAgain(receipt);
    failedAgain += again;
    rows += receipt.rowsComputed() - again;
    failed += receipt.rowsFailed() - again;
    for (RowError e : receipt.errors()) {
      if (first.size() < KEPT) {
        first.add(e);
      }
    }
    if (rows > 0 && (double) failed / rows > policy.maxErrorFraction()) {
      RowError e = firstNew != null ? firstNew : first.isEmpty() ? null : first.get(0);
      throw new BackfillException(
          ErrorCode.LANCET_TOO_MANY_FAILED_ROWS,
          String.format(
              "column '%s': %d of %d rows failed, more than max_error_fraction %s%s%s",
              column,
              failed,
              rows,
              policy.maxErrorFraction(),
              failedAgain == 0
                  ? ""
                  : String.format(
                      " (besides %d that had failed before and failed again)", failedAgain),
              e == null
                  ? ""
                  : String.format(
                      "; first: row address %d (%s): %s",
                      e.rowAddress(), e.inputs(), e.message())));
    }
  }

  /**
   * How many of the receipt's failed rows had failed before: in earlier jobs, exactly (up to the
   * errors table's bound per fragment and job); in this job's earlier rounds, at most as many as
   * the receipt's failures, as the table does not tell this job's rounds apart.
   */
  private long failedAgain(FragmentReceipt receipt) {
    if (earlier == null) {
      earlier = records.earlierJobs();
    }
    int fragment = receipt.fragmentId();
    BitSet now = records.thisJob(fragment);
    BitSet before = (BitSet) earlier.getOrDefault(fragment, new BitSet()).clone();
    BitSet roundsBefore = failedThisJob.get(fragment);
    if (roundsBefore != null) {
      before.or(roundsBefore);
    }
    BitSet again = (BitSet) now.clone();
    again.and(before);
    for (RowError e : receipt.errors()) {
      if (firstNew == null && !before.get((int) (e.rowAddress() & 0xFFFFFFFFL))) {
        firstNew = e;
      }
    }
    failedThisJob.put(fragment, now);
    return Math.min(receipt.rowsFailed(), again.cardinality());
  }

  /** The first failed rows seen (at most {@value #KEPT}). */
  List<RowError> firstErrors() {
    return List.copyOf(first);
  }
}
