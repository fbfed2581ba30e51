package dev.lancet.backfill.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.BackfillJobs;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.udf.ErrorCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job records the Java versions that ran it, and a worker of another Java major refuses. */
class WorkerEnvironmentTest {
  @TempDir Path dir;

  @Test
  void aJobRecordsTheJavaVersionOfTheDriverAndOfEachNode() {
    String uri = LanceTestTables.withCountingArea(dir);
    Backfill.of(uri, "area").run();
    BackfillJob job = BackfillJobs.list(uri, Map.of()).get(0);
    String java = Runtime.version().toString();
    assertTrue(job.code().contains("Java " + java + " on the driver"), job.code().toString());
    assertTrue(job.code().contains("Java " + java + " on local"), job.code().toString());
  }

  @Test
  void aWorkerOfAnotherJavaMajorVersionFailsBeforeItsFirstRowNamingTheNode() {
    UdfWorker.checkJava(Runtime.version().toString(), "10.0.0.7"); // the same: nothing to say
    int other = Runtime.version().feature() == 25 ? 17 : 25;
    BackfillException e =
        assertThrows(
            BackfillException.class, () -> UdfWorker.checkJava(other + ".0.1", "10.0.0.7"));
    assertEquals(ErrorCode.LANCET_ENVIRONMENT_MISMATCH, e.code());
    assertEquals(
        "node 10.0.0.7 runs Java "
            + Runtime.version()
            + ", the driver Java "
            + other
            + ".0.1: a worker must run the driver's Java major version ("
            + other
            + "); nothing was computed there",
        e.getMessage());
  }
}
