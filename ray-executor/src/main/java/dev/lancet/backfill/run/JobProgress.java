package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.BackfillProgress;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.backfill.JobStatus;
import dev.lancet.backfill.RowError;
import dev.lancet.backfill.commit.FragmentCommitter;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.plan.BackfillPlan;
import dev.lancet.backfill.plan.WorkUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's totals over every round: fragments and rows to look at, finished, committed, skipped and
 * failed, the nodes that computed, and what the workers scan right now. It answers progress
 * snapshots, the job record and the result; only the runner's thread writes it.
 */
final class JobProgress {
  /** The statement's commits this job's are counted in too, or null when it runs alone. */
  private StatementCommits statement;

  private final String column;
  private final String jobId;
  private final String filter;
  private final String udfVersion;
  private final long readVersion;
  private final Map<String, Integer> nodes = new TreeMap<>();
  private final Map<Integer, Long> unitRows = new HashMap<>();

  /** Per split fragment, what its ranges counted so far: rows scanned, computed, reused. */
  private final Map<Integer, long[]> rangeCounts = new HashMap<>();

  private final Map<String, String> javas = new TreeMap<>();
  private List<String> code = List.of();
  private String engine;
  private int total;
  private int done;
  private int fragments;
  private int commits;
  private long rows;
  private long skipped;
  private long failed;
  private long computedSoFar;
  private long reusedSoFar;
  private long version;

  /** Rows the latest round's filter selects. */
  private long rowsInScope;

  /** Rows of the fragments to look at, of those finished, and scanned in those in progress. */
  private long rowsTotal;

  private long rowsFinished;
  private long rowsInFlight;

  /** A pilot's LIMIT, or 0. */
  private final long limit;

  /** The most Arrow memory a task reported holding at once. */
  private long peakBytes;

  JobProgress(String column, String jobId, String filter, long limit, BackfillPlan plan) {
    this.column = column;
    this.limit = limit;
    this.jobId = jobId;
    this.filter = filter;
    this.udfVersion = plan.udfVersion();
    this.readVersion = plan.version();
    this.rowsInScope = plan.rowsInScope();
    this.version = plan.version();
    this.total = plan.units().size() + plan.reused().size() + plan.upToDateFragments();
    this.done = plan.upToDateFragments() + plan.reused().size();
    this.skipped = plan.upToDateRows();
    this.rowsTotal = plan.upToDateRows();
    this.rowsFinished = plan.upToDateRows();
    addRows(plan);
  }

  private void addRows(BackfillPlan next) {
    for (WorkUnit u : next.units()) {
      unitRows.put(u.fragmentId(), u.liveRows());
      rowsTotal += u.liveRows();
    }
    long reused = next.reused().stream().mapToLong(r -> r.rowsComputed() + r.rowsReused()).sum();
    rowsTotal += reused;
    rowsFinished += reused;
  }

  /** A later round's plan: its fragments join the totals (its up-to-date ones were counted). */
  void nextRound(BackfillPlan next) {
    rowsInScope = next.rowsInScope();
    total += next.units().size() + next.reused().size();
    done += next.reused().size();
    addRows(next);
  }

  /** Where the workers' code came from, for the job record. */
  void code(List<String> described) {
    code = List.copyOf(described);
  }

  /** Rows the workers have scanned so far in the groups in progress. */
  void rowsInFlight(long scanned) {
    rowsInFlight = scanned;
  }

  /**
   * A row range of a split fragment returned: its rows count now; the fragment is done when its
   * assembly's receipt comes ({@link #finished}, which counts the ranges' rows again, so theirs are
   * taken back there).
   */
  void rangeFinished(FragmentReceipt r) {
    peakBytes = Math.max(peakBytes, r.origin().peakBytes());
    long[] counted = rangeCounts.computeIfAbsent(r.fragmentId(), f -> new long[3]);
    long scanned = r.rowsComputed() + r.rowsReused() + r.rowsFailed();
    counted[0] += scanned;
    counted[1] += r.rowsComputed();
    counted[2] += r.rowsReused();
    rowsFinished += scanned;
    rowsInFlight = 0;
    computedSoFar += r.rowsComputed();
    reusedSoFar += r.rowsReused();
    if (r.rowsComputed() > 0) {
      nodes.merge(r.node() == null ? "local" : r.node(), 1, Integer::sum);
    }
    if (r.origin().java() != null) {
      javas.put(r.node() == null ? "local" : r.node(), r.origin().java());
    }
  }

  void finished(FragmentReceipt r) {
    peakBytes = Math.max(peakBytes, r.origin().peakBytes());
    long[] ranges = rangeCounts.remove(r.fragmentId());
    long[] counted = ranges == null ? new long[3] : ranges;
    rowsFinished +=
        Math.max(
            0,
            unitRows.getOrDefault(r.fragmentId(), r.rowsComputed() + r.rowsReused()) - counted[0]);
    rowsInFlight = 0; // the workers' next answer counts what is still in progress
    done++;
    if (r.rowsComputed() > counted[1] && ranges == null) {
      nodes.merge(r.node() == null ? "local" : r.node(), 1, Integer::sum);
    }
    if (r.origin().java() != null) {
      javas.put(r.node() == null ? "local" : r.node(), r.origin().java());
    }
    computedSoFar += r.rowsComputed() - counted[1];
    reusedSoFar += r.rowsReused() - counted[2];
    if (!r.changed()) {
      skipped += r.rowsReused();
    }
  }

  /** Also counts this job's commits in {@code statement}, as they are made. */
  void alsoCounting(StatementCommits statement) {
    this.statement = statement;
  }

  void committed(FragmentCommitter.Outcome outcome) {
    if (statement != null) {
      statement.add(outcome.commits());
    }
    rows += outcome.committed().stream().mapToLong(FragmentReceipt::rowsComputed).sum();
    skipped += outcome.committed().stream().mapToLong(FragmentReceipt::rowsReused).sum();
    // A file an earlier, failed run finished reports its rows as reused; the rows that failed in
    // it are computed again by this job's next round, which reports them.
    failed +=
        outcome.committed().stream()
            .filter(r -> !r.earlierFile())
            .mapToLong(FragmentReceipt::rowsFailed)
            .sum();
    fragments += outcome.committed().size();
    commits += outcome.commits();
    version = outcome.version();
  }

  /** Commits so far, over every round. */
  int commits() {
    return commits;
  }

  /** Rows computed and committed so far. */
  long rows() {
    return rows;
  }

  /** Fragments committed so far. */
  int fragments() {
    return fragments;
  }

  /** The table's version after the last commit (the planned one before any). */
  long version() {
    return version;
  }

  /**
   * Rows in the run's scope that were current already: once the run has succeeded, every row in
   * scope is current, and those it did not compute (or fail) were before it.
   */
  private long skippedInScope() {
    return Math.max(0, rowsInScope - rows - failed);
  }

  BackfillProgress snapshot(long started, boolean fragmentFinished) {
    long elapsed = Math.max(1, System.currentTimeMillis() - started);
    long doneRows = Math.min(rowsTotal, rowsFinished + rowsInFlight);
    double fraction =
        rowsTotal > 0 ? (double) doneRows / rowsTotal : (total == 0 ? 1 : (double) done / total);
    return new BackfillProgress(
        column,
        done,
        total,
        skipped + computedSoFar + reusedSoFar + rowsInFlight,
        (computedSoFar + rowsInFlight) * 1000.0 / elapsed,
        rowsTotal,
        Math.min(1, fraction),
        elapsed,
        fragmentFinished);
  }

  /** The job record: {@code finished} is 0 while it runs; {@code errors} the first failed rows. */
  BackfillJob record(
      JobStatus status, long started, long finished, String error, List<RowError> errors) {
    double seconds =
        Math.max(
            0.001, ((finished == 0 ? System.currentTimeMillis() : finished) - started) / 1000.0);
    return new BackfillJob(
        jobId,
        column,
        filter,
        udfVersion,
        readVersion,
        status,
        done,
        total,
        rows,
        status == JobStatus.SUCCEEDED ? skippedInScope() : skipped,
        failed,
        rows / seconds,
        version,
        started,
        finished,
        error,
        errors,
        environment(),
        nodes,
        limit,
        peakBytes);
  }

  /** The engine that computes the job ({@code ray}, {@code spark}), for the job record. */
  void engine(String name) {
    engine = name;
  }

  /**
   * The engine, the code a job ran and the Java versions that ran it: the driver's, then each
   * node's.
   */
  private List<String> environment() {
    List<String> out = new java.util.ArrayList<>();
    if (engine != null) {
      out.add("engine " + engine);
    }
    out.addAll(code);
    out.add("Java " + Runtime.version() + " on the driver");
    javas.forEach((node, java) -> out.add("Java " + java + " on " + node));
    return out;
  }

  BackfillResult result() {
    return new BackfillResult(
        jobId, column, rows, skippedInScope(), failed, fragments, commits, version, nodes);
  }
}
