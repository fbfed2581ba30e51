package dev.lancet.backfill.run;

/**
 * When a backfill commits: once {@code fragments} finished fragments are pending, or once the
 * oldest pending one has waited {@code intervalMillis}. Every commit rewrites the table's manifest,
 * which lists every fragment, so a fixed group size would make a job's commit cost grow with the
 * square of the table's fragments; by default the group grows with the job instead ({@code max(64,
 * ceil(F / 20))}: about 20 commits a job), as the reference does.
 */
public final class CommitCadence {
  /** The smallest adaptive group. */
  static final int MIN_FRAGMENTS = 64;

  /** Commits an adaptive job makes, about. */
  static final int COMMITS_PER_JOB = 20;

  private final int fragments;
  private final long intervalNanos;
  private long oldestPending = -1;

  private CommitCadence(int fragments, long intervalMillis) {
    this.fragments = fragments;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  /**
   * {@code requested}: the user's commit_granularity, or 0 to adapt to a job of {@code
   * jobFragments}.
   */
  static CommitCadence of(int requested, long intervalMillis, int jobFragments) {
    return new CommitCadence(requested > 0 ? requested : adaptive(jobFragments), intervalMillis);
  }

  static int adaptive(int jobFragments) {
    return Math.max(MIN_FRAGMENTS, (jobFragments + COMMITS_PER_JOB - 1) / COMMITS_PER_JOB);
  }

  int fragments() {
    return fragments;
  }

  /** Whether {@code pending} finished fragments should be committed now. */
  boolean due(int pending) {
    if (pending == 0) {
      oldestPending = -1;
      return false;
    }
    long now = System.nanoTime();
    if (oldestPending < 0) {
      oldestPending = now;
    }
    return pending >= fragments || now - oldestPending >= intervalNanos;
  }

  void committed() {
    oldestPending = -1;
  }
}
