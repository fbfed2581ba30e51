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

  /** Rows (or groups) that failed in this run, reported with its result. */
  private long failed;

  /**
   * What {@code max_error_fraction} judges: what this run computed and what of it failed, but for
   * rows and groups that had failed before (they failed again; counting them would stop every
   * refresh until the UDF is fixed).
   */
  private long judgedFailed;

  private long judgedComputed;

  private SkippedRows.Row first;

  /** What is counted: source rows, or a partitioned view's groups. */
  private String counted = "source rows";

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
    return take(computedRows, at, true);
  }

  /**
   * {@link #take(long, TableLocation)} of rows that had failed before and were computed again
   * alone: recorded and reported, not judged against {@code max_error_fraction}.
   */
  Map<Integer, Set<Long>> takeRetried(TableLocation at) {
    return take(0, at, false);
  }

  private Map<Integer, Set<Long>> take(long computedRows, TableLocation at, boolean judged) {
    judgedComputed += computedRows;
    Map<Integer, Set<Long>> out = new TreeMap<>();
    if (sink == null) {
      return out;
    }
    Map<Integer, List<RowError>> errors = new TreeMap<>();
    for (SkippedRows.Row row : sink.taken()) {
      int fragment = (int) (row.address() >>> 32);
      if (out.computeIfAbsent(fragment, f -> new TreeSet<>()).add(row.address())) {
        failed++;
        judgedFailed += judged ? 1 : 0;
        if (judged && first == null && row.error() != null) {
          first = row;
        }
        errors
            .computeIfAbsent(fragment, f -> new ArrayList<>())
            .add(recorded(row.address(), "", row));
      }
    }
    errors.forEach(
        (fragment, rows) ->
            BackfillJobs.recordErrors(at, jobId, RefreshJob.COLUMN, fragment, rows));
    return out;
  }

  /**
   * A partitioned view's groups skipped by the jobs that ended since the last call (a group is
   * skipped under its key's hash, {@link GroupKeys#hashExpression}), among {@code keys}, the groups
   * those jobs computed; counted as groups (but those in {@code failedBefore}, failing again, are
   * not judged), and recorded in the view at {@code at} under fragment and address -1 with the
   * group's key before the UDF's inputs. Returns their keys.
   */
  Set<Object> takeGroups(List<Object> keys, TableLocation at, Set<Object> failedBefore) {
    counted = "groups";
    judgedComputed += keys.stream().filter(k -> !failedBefore.contains(k)).count();
    Set<Object> out = new java.util.LinkedHashSet<>();
    if (sink == null) {
      return out;
    }
    List<SkippedRows.Row> rows = sink.taken();
    if (rows.isEmpty()) {
      return out;
    }
    Map<Long, Object> byHash = new java.util.HashMap<>();
    keys.forEach(k -> byHash.put(GroupKeys.hashOf(k), GroupKeys.normal(k)));
    List<RowError> errors = new ArrayList<>();
    for (SkippedRows.Row row : rows) {
      Object key = byHash.get(row.address());
      if (key == null || !out.add(key)) {
        continue; // not a group of these jobs (cannot be), or a task's second report of it
      }
      failed++;
      boolean judged = !failedBefore.contains(key);
      judgedFailed += judged ? 1 : 0;
      if (judged && first == null && row.error() != null) {
        first =
            new SkippedRows.Row(
                row.address(),
                row.inputs(),
                "group " + GroupKeys.sparkLiteral(key) + ": " + row.error());
      }
      errors.add(recorded(-1, "group " + GroupKeys.sparkLiteral(key) + ": ", row)); // no one row
    }
    if (!errors.isEmpty()) {
      BackfillJobs.recordErrors(at, jobId, RefreshJob.COLUMN, -1, errors);
    }
    return out;
  }

  /** A skipped row as recorded at {@code address}, {@code prefix} before its inputs. */
  private static RowError recorded(long address, String prefix, SkippedRows.Row row) {
    return new RowError(
        address,
        prefix + (row.inputs() == null ? "" : row.inputs()),
        row.error() == null ? "(not recorded: past a task's first rows)" : row.error(),
        1);
  }

  /**
   * Fails in one line when more than {@code max_error_fraction} of the source rows (or groups)
   * computed so far failed; {@code kept} says what stays of the run (committed groups, or nothing).
   */
  void check(String kept) {
    if (judgedComputed > 0 && (double) judgedFailed / judgedComputed > maxFraction) {
      throw new LancetException(
          ErrorCode.LANCET_TOO_MANY_FAILED_ROWS,
          "materialized view "
              + view
              + ": "
              + judgedFailed
              + " of "
              + judgedComputed
              + " "
              + counted
              + " failed, more than max_error_fraction "
              + maxFraction
              + (first == null
                  ? ""
                  : "; first: "
                      + (counted.equals("groups") ? "" : "row address " + first.address() + ": ")
                      + first.error())
              + "; "
              + kept);
    }
  }
}
