package dev.lancet.testing;

import dev.lancet.backfill.plan.JobContext;
import dev.lancet.lance.TableLocation;
import java.util.Map;

/** A job's context for tests of planning and queueing that never open its table. */
public final class TestJobs {
  private TestJobs() {}

  /** A checkpointed job of column "c" of a table at /t.lance that does not exist. */
  public static final JobContext JOB =
      JobContext.builder()
          .table(new TableLocation("/t.lance", Map.of()))
          .version(1)
          .column("c")
          .specJson("{}")
          .batchSize(8192)
          .checkpoints(true)
          .checkpointIntervalMillis(10_000)
          .allowedPackages("")
          .jobId("job")
          .build();
}
