package dev.lancet.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.fixtures.Udfs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * on_error = 'retry' (attempts, backoff, which exceptions, then) and timeout_ms, on real Arrow
 * batches.
 */
class RetryAndTimeoutTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    allocator.close();
  }

  private VectorSchemaRoot values(int... v) {
    VectorSchemaRoot root =
        VectorSchemaRoot.create(
            new Schema(List.of(Field.nullable("v", new ArrowType.Int(32, true)))), allocator);
    IntVector iv = (IntVector) root.getVector(0);
    iv.allocateNew(v.length);
    for (int i = 0; i < v.length; i++) {
      iv.set(i, v[i]);
    }
    iv.setValueCount(v.length);
    root.setRowCount(v.length);
    return root;
  }

  private ColumnUdf udf(Class<?> c, Map<String, String> options) {
    return ColumnUdfs.instantiate(
        UdfInspector.inspect(c, UdfRegistration.of(null, null, options)),
        getClass().getClassLoader());
  }

  private static List<Object> out(FieldVector v) {
    List<Object> o = new ArrayList<>();
    for (int i = 0; i < v.getValueCount(); i++) {
      o.add(v.getObject(i));
    }
    return o;
  }

  @Test
  void aTransientFailureIsRetriedWithBackoffUntilTheCallSucceeds() {
    try (VectorSchemaRoot in = values(1, 2, 3);
        ColumnUdf flaky =
            udf(
                Udfs.Flaky.class,
                Map.of(
                    "fail_times",
                    "2",
                    "on_error",
                    "retry",
                    "retry_attempts",
                    "3",
                    "retry_backoff_ms",
                    "10"))) {
      long start = System.nanoTime();
      try (FieldVector v = flaky.compute(in, "out", allocator)) {
        assertEquals(List.of(1, 2, 3), out(v), "every row after two failed calls");
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(
          millis >= 3 * (5 + 10),
          "backed off between attempts (5-10 ms, then 10-20 ms): " + millis + " ms");
    }
  }

  @Test
  void whenTheAttemptsAreSpentTheRowGetsThePolicyThatFollows() {
    try (VectorSchemaRoot in = values(1, 2);
        ColumnUdf failing =
            udf(
                Udfs.Flaky.class,
                Map.of(
                    "fail_times",
                    "5",
                    "on_error",
                    "retry",
                    "retry_attempts",
                    "2",
                    "retry_backoff_ms",
                    "1"));
        ColumnUdf nulling =
            udf(
                Udfs.Flaky.class,
                Map.of(
                    "fail_times",
                    "5",
                    "on_error",
                    "retry",
                    "retry_attempts",
                    "2",
                    "retry_backoff_ms",
                    "1",
                    "retry_then",
                    "null"))) {
      UdfRowException e =
          assertThrows(UdfRowException.class, () -> failing.compute(in, "out", allocator));
      assertEquals(2, e.attempts());
      assertTrue(e.getMessage().endsWith("on input (v=1) after 2 attempts"), e.getMessage());
      List<String> failed = new ArrayList<>();
      try (FieldVector v =
          nulling.compute(
              in,
              "out",
              allocator,
              (row, inputs, error, attempts) ->
                  failed.add(inputs + " " + attempts + " " + error.getClass().getSimpleName()))) {
        assertEquals(Arrays.asList(null, null), out(v));
      }
      assertEquals(List.of("v=1 2 IOException", "v=2 2 IOException"), failed);
    }
  }

  @Test
  void onlyTheNamedExceptionsAreRetried() {
    try (VectorSchemaRoot in = values(1);
        ColumnUdf others =
            udf(
                Udfs.Flaky.class,
                Map.of(
                    "fail_times",
                    "1",
                    "on_error",
                    "retry",
                    "retry_backoff_ms",
                    "1",
                    "retry_on",
                    "java.util.concurrent.TimeoutException"));
        ColumnUdf named =
            udf(
                Udfs.Flaky.class,
                Map.of(
                    "fail_times",
                    "1",
                    "on_error",
                    "retry",
                    "retry_backoff_ms",
                    "1",
                    "retry_on",
                    "IOException"));
        ColumnUdf byMessage =
            udf(
                Udfs.Flaky.class,
                Map.of(
                    "fail_times",
                    "1",
                    "on_error",
                    "retry",
                    "retry_backoff_ms",
                    "1",
                    "retry_message",
                    "connection (reset|refused)"))) {
      assertEquals(
          1,
          assertThrows(UdfRowException.class, () -> others.compute(in, "out", allocator))
              .attempts(),
          "an exception that is not named fails at once");
      try (FieldVector v = named.compute(in, "out", allocator);
          FieldVector m = byMessage.compute(in, "out", allocator)) {
        assertEquals(List.of(1), out(v), "by (simple) class name");
        assertEquals(List.of(1), out(m), "by message pattern");
      }
    }
  }

  @Test
  void aCallPastItsTimeoutFailsItsRowAndTheOthersGoOn() {
    try (VectorSchemaRoot in = values(1, 2, 3);
        ColumnUdf sleepy =
            udf(
                Udfs.Sleepy.class,
                Map.of("sleep_ms", "5000", "timeout_ms", "100", "on_error", "null"))) {
      List<String> failed = new ArrayList<>();
      long start = System.nanoTime();
      try (FieldVector v =
          sleepy.compute(
              in,
              "out",
              allocator,
              (row, inputs, error, attempts) -> failed.add(inputs + ": " + error.getMessage()))) {
        assertEquals(Arrays.asList(1, null, 3), out(v));
      }
      assertTrue(
          (System.nanoTime() - start) / 1_000_000 < 2_000, "the sleeping call was cut short");
      assertEquals(1, failed.size());
      assertTrue(failed.get(0).startsWith("v=2: the call took "), failed.get(0));
      assertTrue(failed.get(0).endsWith("ms, more than timeout_ms 100"), failed.get(0));
      assertTrue(!Thread.currentThread().isInterrupted(), "the alarm's interrupt did not leak");
    }
  }

  @Test
  void aTimeoutIsForScalarUdfsAndRetryOptionsAreChecked() {
    UdfException batched =
        assertThrows(
            UdfException.class,
            () ->
                UdfInspector.inspect(
                    Udfs.class
                        .getClassLoader()
                        .loadClass("dev.lancet.udf.fixtures.Kinds$SumWithAllocator"),
                    UdfRegistration.of(null, null, Map.of("timeout_ms", "10"))));
    assertTrue(
        batched.getMessage().contains("timeout_ms applies to scalar and async UDFs"),
        batched.getMessage());
    assertEquals(
        "option 'on_error' must be 'fail', 'null' or 'retry', got 'sometimes'",
        assertThrows(
                LancetException.class,
                () -> UdfRegistration.of(null, null, Map.of("on_error", "sometimes")))
            .getMessage());
    assertEquals(
        "retry_then must be 'fail' or 'null'",
        assertThrows(
                UdfException.class,
                () -> UdfRegistration.of(null, null, Map.of("retry_then", "retry")))
            .getMessage());
  }
}
