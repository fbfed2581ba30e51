package dev.lancet.backfill.run;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The commits of the backfills one statement runs together (several columns, one scan): each job
 * counts its commits here as it makes them, so that another member can tell its siblings' commits
 * from another writer's. A job plans a new round when the table changed meanwhile; a sibling's
 * commit changes only the sibling's column, so it is no reason for one, except for a column that
 * reads a virtual column (it may be the sibling's), which keeps judging by its own commits only.
 */
public final class StatementCommits {
  private final AtomicInteger commits = new AtomicInteger();

  /** Counts {@code n} commits a member made. */
  void add(int n) {
    commits.addAndGet(n);
  }

  /** The commits the statement's members made so far. */
  int count() {
    return commits.get();
  }
}
