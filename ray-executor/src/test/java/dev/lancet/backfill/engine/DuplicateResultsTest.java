package dev.lancet.backfill.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.ray.RayEngine;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.udf.UdfResources;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine that hands the driver every task's result twice, as a duplicate task attempt would
 * (Spark's speculation, a retry whose first attempt did finish): each fragment is committed once,
 * its rows are counted once, and every value is right. The tasks run on Ray's LOCAL workers.
 */
class DuplicateResultsTest {
  @TempDir Path dir;

  /** Ray's engine, whose workers' results reach the runner twice. */
  private static final class Duplicating implements WorkerEngine {
    @Override
    public String name() {
      return "duplicating";
    }

    @Override
    public void start() {
      RayEngine.INSTANCE.start();
    }

    @Override
    public boolean inDriverJvm() {
      return RayEngine.INSTANCE.inDriverJvm();
    }

    @Override
    public String workerCodeUri() {
      return RayEngine.INSTANCE.workerCodeUri();
    }

    @Override
    public Workers open(int size, UdfResources resources, String udfVersion, ClassLoader loader) {
      Workers ray = RayEngine.INSTANCE.open(size, resources, udfVersion, loader);
      return new Workers() {
        @Override
        public void run(
            List<WorkTask> tasks,
            Consumer<String> onResult,
            Consumer<RuntimeException> onFailure,
            BooleanSupplier cancelled,
            LongConsumer onRowsInFlight) {
          ray.run(
              tasks,
              result -> {
                onResult.accept(result);
                onResult.accept(result);
              },
              onFailure,
              cancelled,
              onRowsInFlight);
        }

        @Override
        public void tellCancelled(String jobId) {
          ray.tellCancelled(jobId);
        }

        @Override
        public void close() {
          ray.close();
        }
      };
    }

    @Override
    public void shutdown() {}
  }

  @Test
  void aTaskResultDeliveredTwiceIsCommittedOnce() {
    String uri = LanceTestTables.withCountingArea(dir);
    long before = LanceTestReads.version(uri);
    BackfillResult r =
        Backfill.of(uri, "area")
            .engine(new Duplicating())
            .concurrency(2)
            .commitGranularity(1)
            .run();
    assertEquals(30, r.rowsComputed());
    assertEquals(3, r.fragmentsCommitted());
    assertEquals(before + r.commits(), LanceTestReads.version(uri));
    assertEquals(r.tableVersion(), LanceTestReads.version(uri));
    LanceTestReads.assertEveryAreaIsXTimesY(uri);
    BackfillResult again = Backfill.of(uri, "area").engine(new Duplicating()).run();
    assertEquals(0, again.rowsComputed());
  }
}
