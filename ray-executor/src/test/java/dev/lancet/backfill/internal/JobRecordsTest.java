package dev.lancet.backfill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.JobStatus;
import dev.lancet.testing.LanceTestTables;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRecordsTest {
  @TempDir Path dir;

  private static BackfillJob running(String id, long startedAt) {
    return new BackfillJob(id, "area", null, "v", 1, JobStatus.RUNNING, 0, 3, 0, 0, 0, 0, 1, startedAt, 0, null, List.of());
  }

  @Test
  void aRunningJobWithoutARecentHeartbeatIsAbandoned() {
    String uri = LanceTestTables.create(dir, "t", 1, 1);
    long old = System.currentTimeMillis() - 5 * 60_000;
    JobRecords.write(uri, Map.of(), running("dead", old)); // its driver was killed: no final row, no heartbeat
    JobRecords.write(uri, Map.of(), running("alive", old));
    try (BufferAllocator a = Allocators.child("test")) {
      new JobSignals(uri, Map.of()).heartbeat("alive", a);
    }
    JobRecords.write(uri, Map.of(), running("young", System.currentTimeMillis())); // no heartbeat yet, just started

    Map<String, JobStatus> status = new java.util.HashMap<>();
    JobRecords.list(uri).forEach(j -> status.put(j.jobId(), j.status()));

    assertEquals(Map.of("dead", JobStatus.ABANDONED, "alive", JobStatus.RUNNING, "young", JobStatus.RUNNING), status);
  }
}
