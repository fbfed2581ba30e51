package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.BatchSizes;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One precedence for a run's options: the run's option, then the column's registration, then the
 * class's {@code @Udf}, then the default. A run's {@code batch_size} lost to the registration's.
 */
class OptionPrecedenceTest {
  @TempDir Path dir;

  @BeforeEach
  void reset() {
    BatchSizes.SIZES.clear();
  }

  private String table(String name, Integer registered) {
    String uri = LanceTestTables.create(dir, name, 1, 100);
    UdfRegistration registration =
        UdfRegistration.of(
            List.of("id"),
            "int",
            registered == null ? Map.of() : Map.of("batch_size", String.valueOf(registered)));
    VirtualColumns.add(uri, Map.of(), "same", UdfInspector.inspect(BatchSizes.class, registration));
    return uri;
  }

  @Test
  void aRunsBatchSizeWinsOverTheColumnsRegisteredOne() {
    String uri = table("run", 10);
    Backfill.of(uri, "same").batchSize(25).run();
    assertEquals(List.of(25, 25, 25, 25), BatchSizes.SIZES);
  }

  @Test
  void withoutARunOptionTheColumnsRegisteredBatchSizeApplies() {
    String uri = table("registered", 40);
    Backfill.of(uri, "same").run();
    assertEquals(List.of(40, 40, 20), BatchSizes.SIZES);
  }

  @Test
  void withNeitherTheDefaultApplies() {
    String uri = table("neither", null);
    Backfill.of(uri, "same").run();
    assertEquals(List.of(100), BatchSizes.SIZES);
  }
}
