package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.BatchSizes;
import dev.lancet.testing.udfs.FailsOnSeven;
import dev.lancet.udf.ErrorCode;
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
 * class's {@code @Udf}, then the default, for each option a run and a column may both set ({@code
 * batch_size}, {@code on_error}, {@code max_error_fraction}). A run's {@code batch_size} lost to
 * the registration's.
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

  /** 20 rows, one of which (id 7) fails, under the registered error options. */
  private String failing(String name, Map<String, String> registered) {
    String uri = LanceTestTables.create(dir, name, 1, 20);
    VirtualColumns.add(
        uri,
        Map.of(),
        "checked",
        UdfInspector.inspect(
            FailsOnSeven.class, UdfRegistration.of(List.of("id"), "int", registered)));
    return uri;
  }

  @Test
  void aRunsOnErrorWinsOverTheColumnsRegisteredOne() {
    String lenient = failing("lenient", Map.of("on_error", "null"));
    BackfillException failed =
        assertThrows(
            BackfillException.class, () -> Backfill.of(lenient, "checked").onError("fail").run());
    assertTrue(failed.getMessage().contains("id 7 is not allowed"), failed.getMessage());
    assertEquals(1, Backfill.of(lenient, "checked").run().rowsFailed(), "then the column's");

    String strict = failing("strict", Map.of("on_error", "fail"));
    assertEquals(1, Backfill.of(strict, "checked").onError("null").run().rowsFailed());
  }

  @Test
  void aRunsMaxErrorFractionWinsOverTheColumnsRegisteredOne() {
    String none = failing("none", Map.of("on_error", "null", "max_error_fraction", "0"));
    BackfillException tooMany =
        assertThrows(BackfillException.class, () -> Backfill.of(none, "checked").run());
    assertEquals(ErrorCode.LANCET_TOO_MANY_FAILED_ROWS, tooMany.code());
    assertEquals(1, Backfill.of(none, "checked").maxErrorFraction(0.5).run().rowsFailed());

    String half = failing("half", Map.of("on_error", "null", "max_error_fraction", "0.5"));
    assertThrows(
        BackfillException.class, () -> Backfill.of(half, "checked").maxErrorFraction(0).run());
  }
}
