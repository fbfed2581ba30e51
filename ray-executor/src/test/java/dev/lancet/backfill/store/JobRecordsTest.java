package dev.lancet.backfill.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.JobStatus;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.TableLocation;
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
    return new BackfillJob(
        id,
        "area",
        null,
        "v",
        1,
        JobStatus.RUNNING,
        0,
        3,
        0,
        0,
        0,
        0,
        1,
        startedAt,
        0,
        null,
        List.of(),
        List.of("udfs.jar sha256:ab12"),
        java.util.Map.of("127.0.0.1", 3),
        0,
        0);
  }

  @Test
  void theJobTableIsCompactedAsJobsComeAndKeepsEveryRecord() {
    String uri = LanceTestTables.create(dir, "many", 1, 1);
    TableLocation table = new TableLocation(uri, Map.of());
    int jobs = JobRecords.COMPACT_AFTER_FRAGMENTS + 6;
    for (int i = 0; i < jobs; i++) {
      JobRecords.write(table, running("job-" + i, 1_000 + i));
    }

    List<BackfillJob> listed = JobRecords.list(uri);
    assertEquals(jobs, listed.size(), "every record kept");
    assertEquals("job-0", listed.get(0).jobId());
    assertEquals("job-" + (jobs - 1), listed.get(jobs - 1).jobId());
    try (BufferAllocator a = Allocators.child("test");
        org.lance.Dataset d =
            org.lance.Dataset.open(
                a, InternalPaths.JOBS.under(uri), new org.lance.ReadOptions.Builder().build())) {
      assertTrue(
          d.getFragments().size() <= JobRecords.COMPACT_AFTER_FRAGMENTS,
          "compacted: " + d.getFragments().size() + " fragments");
    }
  }

  @Test
  void aRunningJobWithoutARecentHeartbeatIsAbandoned() {
    String uri = LanceTestTables.create(dir, "t", 1, 1);
    long old = System.currentTimeMillis() - 5 * 60_000;
    JobRecords.write(
        new TableLocation(uri, Map.of()),
        running("dead", old)); // its driver was killed: no final row, no heartbeat
    JobRecords.write(new TableLocation(uri, Map.of()), running("alive", old));
    try (BufferAllocator a = Allocators.child("test")) {
      new JobSignals(new TableLocation(uri, Map.of())).heartbeat("alive", a);
    }
    JobRecords.write(
        new TableLocation(uri, Map.of()),
        running("young", System.currentTimeMillis())); // no heartbeat yet, just started

    Map<String, JobStatus> status = new java.util.HashMap<>();
    JobRecords.list(uri).forEach(j -> status.put(j.jobId(), j.status()));

    assertEquals(
        Map.of("dead", JobStatus.ABANDONED, "alive", JobStatus.RUNNING, "young", JobStatus.RUNNING),
        status);
  }

  @Test
  void aJobsTableOfAnEarlierReleaseGetsTheCodeAndNodesColumnsOnItsNextWrite() {
    String uri = LanceTestTables.create(dir, "old", 1, 1);
    JobRecords.write(
        new TableLocation(uri, Map.of()), running("before", System.currentTimeMillis()));
    try (BufferAllocator a = Allocators.child("test");
        org.lance.Dataset jobs = org.lance.Dataset.open(JobRecords.uri(uri), a)) {
      jobs.dropColumns(List.of("code", "nodes")); // as a table written before those columns existed
    }
    assertEquals(List.of(), JobRecords.list(uri).get(0).code(), "an old row reads without them");

    JobRecords.write(
        new TableLocation(uri, Map.of()), running("after", System.currentTimeMillis() + 1));

    List<BackfillJob> jobs = JobRecords.list(uri);
    assertEquals(List.of("before", "after"), jobs.stream().map(BackfillJob::jobId).toList());
    assertEquals(List.of(), jobs.get(0).code());
    assertEquals(List.of("udfs.jar sha256:ab12"), jobs.get(1).code());
    assertEquals(Map.of("127.0.0.1", 3), jobs.get(1).fragmentsByNode());
  }
}
