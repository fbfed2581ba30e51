package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.Waiting;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import dev.lancet.udf.UdfSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfills of UDFs that wait on I/O, with several calls in flight per worker: exact values, each
 * row once.
 */
class IoBoundBackfillTest {
  @TempDir Path dir;

  @BeforeEach
  void reset() {
    Waiting.reset();
  }

  private static void assertAreas(String uri) {
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
  }

  private String table(Class<?> udf, String inFlight) {
    String uri = LanceTestTables.create(dir, "t", 4, 60);
    UdfSpec spec =
        UdfInspector.inspect(
            udf, UdfRegistration.of(null, null, Map.of("max_in_flight", inFlight)));
    VirtualColumns.add(uri, Map.of(), "area", spec);
    return uri;
  }

  @Test
  void aBlockingUdfWithSixteenInFlightComputesEachRowOnceInOrder() {
    String uri = table(Waiting.Blocking.class, "16");
    BackfillResult r = Backfill.of(uri, "area").batchSize(50).concurrency(1).run();
    assertEquals(240, r.rowsComputed());
    assertEquals(240, Waiting.CALLS.get());
    assertEquals(16, Waiting.MOST.get(), "16 calls in flight on the one worker");
    assertAreas(uri);
  }

  @Test
  void anAsyncUdfComputesEachRowOnceAndChangingItsInFlightRecomputesNothing() {
    String uri = table(Waiting.Async.class, "32");
    BackfillResult r = Backfill.of(uri, "area").batchSize(100).concurrency(2).run();
    assertEquals(240, r.rowsComputed());
    assertEquals(240, Waiting.CALLS.get());
    assertTrue(
        Waiting.MOST.get() > 1 && Waiting.MOST.get() <= 64,
        "at most 32 per worker: " + Waiting.MOST.get());
    assertAreas(uri);
    long version = LanceTestReads.version(uri);

    // How many calls are in flight is how the UDF runs, not what it computes.
    VirtualColumns.replace(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(
            Waiting.Async.class, UdfRegistration.of(null, null, Map.of("max_in_flight", "4"))));
    BackfillResult again = Backfill.of(uri, "area").run();
    assertEquals(0, again.rowsComputed());
    assertEquals(240, Waiting.CALLS.get());
    assertEquals(
        version + 1,
        LanceTestReads.version(uri),
        "the new definition is a schema change; no data commit");
  }
}
