package dev.lancet.backfill;

import java.util.List;
import java.util.Locale;

/**
 * What a backfill would do now, from the plan a run would make (EXPLAIN BACKFILL): nothing
 * computed, nothing recorded. A run started right after, on an unchanged table and without
 * checkpoints of an unfinished run, computes exactly {@link #rowsToCompute()} rows.
 *
 * @param column the column
 * @param tableVersion the table version the plan is pinned to
 * @param filter the rows to compute (Lance filter), or null for all
 * @param limit a pilot run's LIMIT, or 0
 * @param rows the rows of the fragments to compute that the filter selects, by state: all but the
 *     current ones are computed
 * @param fragments fragments with rows to compute
 * @param fragmentsRead fragments the run reads for them (under a filter, some may hold none)
 * @param fragmentsCurrent fragments skipped: every live row current
 * @param fragmentsFinishedEarlier fragments an earlier run finished but did not commit: committed
 *     without computing
 * @param rowsFinishedEarlier their rows not current, committed without computing
 * @param taskSize rows one task computes at most
 * @param fragmentsSplit fragments of more than {@code taskSize} rows, cut into row ranges
 * @param tasks tasks computing rows: whole fragments and ranges (each split fragment adds an
 *     assembly task after its ranges)
 * @param workGroups the groups tasks go to workers in
 * @param engine what computes the tasks ({@code ray} or {@code spark})
 * @param workers workers computing at once
 * @param checkpoints whether work is checkpointed
 * @param resumes whether workers will look for checkpoints of an unfinished run
 * @param commitGranularity fragments committed together
 * @param commits commits at least (more when a group waits longer than the commit interval)
 * @param udfVersion the UDF version values are computed under
 * @param code the code workers run: the pinned jars, or the session's
 * @param rowsPerSecond the rate of the column's last job that computed rows, or null
 * @param rateJobId that job
 * @param peakTaskMemoryBytes the most Arrow memory one of that job's tasks held, or 0 if unknown
 */
public record BackfillExplanation(
    String column,
    long tableVersion,
    String filter,
    long limit,
    RowFreshness rows,
    int fragments,
    int fragmentsRead,
    int fragmentsCurrent,
    int fragmentsFinishedEarlier,
    long rowsFinishedEarlier,
    long taskSize,
    int fragmentsSplit,
    int tasks,
    int workGroups,
    String engine,
    int workers,
    boolean checkpoints,
    boolean resumes,
    int commitGranularity,
    int commits,
    String udfVersion,
    List<String> code,
    Double rowsPerSecond,
    String rateJobId,
    long peakTaskMemoryBytes) {

  public BackfillExplanation {
    code = List.copyOf(code);
  }

  /** Rows the run computes: those of {@link #rows} not current. */
  public long rowsToCompute() {
    return rows.toCompute();
  }

  /**
   * Seconds the computing would take at the column's last job's rate, or null without one (the
   * fixed cost of a run is not in it).
   */
  public Double estimatedSeconds() {
    return rowsPerSecond == null || rowsPerSecond <= 0
        ? null
        : Math.round(100 * rowsToCompute() / rowsPerSecond) / 100.0; // no false precision
  }

  /** The explanation as lines, as EXPLAIN BACKFILL shows it. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    line(
        out,
        "BACKFILL %s at table version %d%s%s",
        column,
        tableVersion,
        filter == null ? "" : " WHERE " + filter,
        limit == 0 ? "" : " LIMIT " + limit + " (a pilot run)");
    line(out, "rows to compute: %d (%s)", rowsToCompute(), reasons());
    if (rows.current() > 0) {
      line(out, "rows current in those fragments, not computed: %d", rows.current());
    }
    line(
        out,
        "fragments: %d to compute%s, %d current%s",
        fragments,
        fragmentsRead == fragments
            ? ""
            : String.format(Locale.ROOT, " (%d read, for the filter)", fragmentsRead),
        fragmentsCurrent,
        fragmentsFinishedEarlier == 0
            ? ""
            : String.format(
                Locale.ROOT,
                ", %d finished by an earlier run (%d rows, committed without computing)",
                fragmentsFinishedEarlier,
                rowsFinishedEarlier));
    if (fragmentsRead > 0) {
      line(
          out,
          "tasks: %d in %d work group(s), %s%s",
          tasks,
          workGroups,
          taskSize == Long.MAX_VALUE
              ? "whole fragments"
              : String.format(Locale.ROOT, "at most %d rows each", taskSize),
          fragmentsSplit == 0
              ? ""
              : String.format(
                  Locale.ROOT,
                  "; %d fragment(s) split into row ranges, each then assembled",
                  fragmentsSplit));
      line(out, "engine: %s, %d worker(s)", engine, workers);
      line(
          out,
          "checkpoints: %s%s",
          checkpoints ? "on" : "off",
          resumes ? "; resumes an unfinished run's checkpoints" : "");
    }
    line(
        out,
        "commits: %d fragment(s) per commit, %d commit(s) at least",
        commitGranularity,
        commits);
    line(out, "code: UDF version %s; %s", udfVersion, String.join(", ", code));
    Double seconds = estimatedSeconds();
    line(
        out,
        "estimate: %s",
        seconds == null
            ? "unknown (no earlier job of this column computed rows)"
            : String.format(
                Locale.ROOT,
                "%.1f s of computing at %.0f rows/s, the rate of job %s",
                seconds,
                rowsPerSecond,
                rateJobId));
    if (peakTaskMemoryBytes > 0) {
      line(
          out,
          "memory: up to %s of Arrow memory per task in job %s",
          bytes(peakTaskMemoryBytes),
          rateJobId);
    }
    return out.toString().stripTrailing();
  }

  private String reasons() {
    StringBuilder out = new StringBuilder();
    for (RowState s : RowState.values()) {
      if (s != RowState.CURRENT && rows.rows(s) > 0) {
        out.append(out.length() == 0 ? "" : ", ")
            .append(s.label())
            .append(" ")
            .append(rows.rows(s));
      }
    }
    return out.length() == 0 ? "nothing to compute" : out.toString();
  }

  /** Bytes for people: KiB under a MiB, else MiB. */
  private static String bytes(long n) {
    return n < 1 << 20
        ? String.format(Locale.ROOT, "%.0f KiB", n / 1024.0)
        : String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
