package dev.lancet.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.LancetOption.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.IntVector;
import org.junit.jupiter.api.Test;

class LancetOptionTest {
  /** Every column option set on the class, so a registration's win shows for each. */
  @Udf(
      type = "int",
      batchSize = 100,
      numCpus = 2,
      numGpus = 0.5,
      memory = 1024,
      onError = "null",
      maxErrorFraction = 0.3)
  public static class Tuned {
    public IntVector call(IntVector x) {
      return x;
    }
  }

  /** No @Udf settings: the defaults show. */
  @Udf(type = "int")
  public static class Plain {
    public IntVector call(IntVector x) {
      return x;
    }
  }

  @Test
  void eachOptionParsesToItsType() {
    assertEquals(512, LancetOption.BATCH_SIZE.parse(" 512 ", ""));
    assertEquals(1.5, LancetOption.NUM_CPUS.parse("1.5", ""));
    assertEquals(512L << 20, LancetOption.MEMORY.parse("512m", ""));
    assertEquals(OnError.RETRY, LancetOption.ON_ERROR.parse(" Retry ", ""));
    assertEquals(0.25, LancetOption.MAX_ERROR_FRACTION.parse("0.25", ""));
    assertEquals(250L, LancetOption.RETRY_BACKOFF_MS.parse("250", ""));
    assertEquals(
        List.of("java.io.IOException", "x.Y"),
        LancetOption.RETRY_ON.parse("java.io.IOException, x.Y,", ""));
    assertEquals(false, LancetOption.CHECKPOINT.parse("FALSE", ""));
    assertEquals(Duration.ZERO, LancetOption.CHECKPOINT_INTERVAL.parse("0", ""));
    assertEquals(Duration.ofSeconds(30), LancetOption.COMMIT_INTERVAL.parse("30", ""));
  }

  @Test
  void aBadValueFailsWithItsCodeNamingTheOptionWhatItMustBeAndWhatWasGiven() {
    LancetException e =
        assertThrows(LancetException.class, () -> LancetOption.MAX_IN_FLIGHT.parse("0", ""));
    assertEquals(ErrorCode.LANCET_INVALID_OPTION, e.code());
    assertEquals("option 'max_in_flight' must be a positive integer, got '0'", e.getMessage());
    assertEquals(
        "BACKFILL option 'max_error_fraction' must be a number between 0 and 1, got '1.5'",
        assertThrows(
                LancetException.class,
                () -> LancetOption.MAX_ERROR_FRACTION.parse("1.5", "BACKFILL "))
            .getMessage());
    assertEquals(
        "option 'batch_size' must be a positive integer, got '0'",
        assertThrows(LancetException.class, () -> LancetOption.BATCH_SIZE.check(0, ""))
            .getMessage());
  }

  @Test
  void eachOptionHasOneScope() {
    assertEquals(
        List.of(
            "batch_size",
            "checkpoint",
            "checkpoint_interval",
            "commit_granularity",
            "commit_interval",
            "concurrency",
            "engine",
            "max_error_fraction",
            "on_error",
            "task_size"),
        LancetOption.keys(Scope.RUN));
    assertEquals(UdfRegistration.RESERVED, java.util.Set.copyOf(LancetOption.keys(Scope.COLUMN)));
    assertTrue(LancetOption.keys(Scope.COLUMN).contains("batch_size"), "both scopes");
    assertNull(LancetOption.named("concurency"));
  }

  @Test
  void aRunOnlyKeyOnARegistrationIsTheUdfsOwnOption() {
    UdfRegistration reg = UdfRegistration.of(null, null, Map.of("concurrency", "4", "k", "v"));
    assertEquals(Map.of("concurrency", "4", "k", "v"), reg.options());
    assertTrue(reg.settings().isEmpty());
  }

  @Test
  void theRegistrationWinsOverUdfWhichWinsOverTheDefaultForEveryColumnOption() {
    UdfSpec fromClass = UdfInspector.inspect(Tuned.class, UdfRegistration.DEFAULT);
    assertEquals(100, fromClass.batchSize());
    assertEquals(new UdfResources(2, 0.5, 1024), fromClass.resources());
    assertEquals(OnError.NULL, fromClass.errorPolicy().onError());
    assertEquals(0.3, fromClass.errorPolicy().maxErrorFraction());

    UdfSpec registered =
        UdfInspector.inspect(
            Tuned.class,
            UdfRegistration.of(
                null,
                null,
                Map.of(
                    "batch_size", "7",
                    "num_cpus", "3",
                    "num_gpus", "1",
                    "memory", "2k",
                    "on_error", "fail",
                    "max_error_fraction", "0.05")));
    assertEquals(7, registered.batchSize());
    assertEquals(new UdfResources(3, 1, 2048), registered.resources());
    assertEquals(OnError.FAIL, registered.errorPolicy().onError());
    assertEquals(0.05, registered.errorPolicy().maxErrorFraction());

    UdfSpec defaults = UdfInspector.inspect(Plain.class, UdfRegistration.DEFAULT);
    assertNull(defaults.batchSize(), "no batch size: the engine's default applies");
    assertEquals(new UdfResources(1, 0, 0), defaults.resources());
    assertEquals(OnError.FAIL, defaults.errorPolicy().onError());
    assertEquals(0.1, defaults.errorPolicy().maxErrorFraction());
  }
}
