package dev.lancet.testing;

import dev.lancet.backfill.Backfill;
import dev.lancet.ray.RayRuntime;

/** Runs one backfill in a child JVM, for the crash test: {@code BackfillMain <table> <column> <batch size>}. */
public final class BackfillMain {
  private BackfillMain() {}

  public static void main(String[] args) {
    Backfill.of(args[0], args[1]).batchSize(Integer.parseInt(args[2])).concurrency(1).commitGranularity(100)
        .checkpointInterval(java.time.Duration.ZERO).run();
    RayRuntime.shutdown();
  }
}
