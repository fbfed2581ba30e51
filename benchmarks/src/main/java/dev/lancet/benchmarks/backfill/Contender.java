package dev.lancet.benchmarks.backfill;

import java.nio.file.Path;

/** One way of computing a workload's column, run inside its own contender process. */
interface Contender extends AutoCloseable {
  /** Whether this contender runs the workload at all. */
  boolean supports(Workload workload);

  /** Untimed set-up on a fresh copy of the table, done once by a user (declaring the column). */
  default void prepare(Workload workload, String tableUri) throws Exception {}

  /** Timed: computes the column; returns the URI of the table that holds the result. */
  String run(Workload workload, String tableUri, Path scratch) throws Exception;

  @Override
  default void close() throws Exception {}
}
