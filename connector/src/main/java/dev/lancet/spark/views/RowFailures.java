package dev.lancet.spark.views;

import dev.lancet.backfill.BackfillJobs;
import dev.lancet.backfill.RowError;
import dev.lancet.lance.TableLocation;
import dev.lancet.spark.functions.SkippedRows;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.SparkContext;

/**
 * The source rows a view's build or refresh skipped under {@code on_error = 'skip'} (its 1:N UDF
 * threw on them): counted against {@code max_error_fraction}, recorded for {@code SHOW BACKFILL
 * ERRORS IN view} (column {@value RefreshJob#COLUMN}), and handed back by source fragment for the
 * view's state, so the next refresh computes them again.
 */
final class RowFailures {
  private final SkippedRows sink;
  private final String view;
  private final double maxFraction;
  private final String jobId;
  private long failed;
  private long computed;
  private SkippedRows.Row first;

  private RowFailures(SkippedRows sink, String view, double maxFraction, String jobId) {
    this.sink = sink;
    this.view = view;
    this.maxFraction = maxFraction;
    this.jobId = jobId;
  }

  /** The failures of a run of {@code view} with {@code options}: none kept unless it skips. */
  static RowFailures of(SparkContext sc, String view, ViewOptions options, String jobId) {
    return new RowFailures(
        options.skips() ? SkippedRows.register(sc) : null, view, options.errorFraction(), jobId);
  }

  /** Where the view's UDFs skip failing rows into, or null when they fail the statement. */
  SkippedRows sink() {
    return sink;
  }

  /** Source rows that failed so far. */
  long failed() {
    return failed;
  }

  /**
   * The rows skipped by the jobs that ended since the last call, by source fragment, counted with
   * the {@code computedRows} source rows those jobs computed, and recorded in the view at {@code
   * at}.
   */
  Map<Integer, Set<Long>> take(long computedRows, TableLocation at) {
    computed += computedRows;
    Map<Integer, Set<Long>> out = new TreeMap<>();
    if (sink == null) {
      return out;
    }
    Map<Integer, List<RowError>> errors = new TreeMap<>();
    for (SkippedRows.Row row : sink.taken()) {
      int fragment = (int) (row.address() >>> 32);
      if (out.computeIfAbsent(fragment, f -> new TreeSet<>()).add(row.address())) {
        failed++;
        if (first == null && row.error() != null) {
          first = row;
        }
        errors
            .computeIfAbsent(fragment, f -> new ArrayList<>())
            .add(
                new RowError(
                    row.address(),
                    row.inputs() == null ? "" : row.inputs(),
                    row.error() == null ? "(not recorded: past a task's first rows)" : row.error(),
                    1));
      }
    }
    errors.forEach(
        (fragment, rows) ->
            BackfillJobs.recordErrors(at, jobId, RefreshJob.COLUMN, fragment, rows));
    return out;
  }

  /**
   * Fails in one line when more than {@code max_error_fraction} of the source rows computed so far
   * failed; {@code kept} says what stays of the run (committed groups, or nothing).
   */
  void check(String kept) {
    if (computed > 0 && (double) failed / computed > maxFraction) {
      throw new LancetException(
          ErrorCode.LANCET_TOO_MANY_FAILED_ROWS,
          "materialized view "
              + view
              + ": "
              + failed
              + " of "
              + computed
              + " source rows failed, more than max_error_fraction "
              + maxFraction
              + (first == null
                  ? ""
                  : "; first: row address " + first.address() + ": " + first.error())
              + "; "
              + kept);
    }
  }
}
