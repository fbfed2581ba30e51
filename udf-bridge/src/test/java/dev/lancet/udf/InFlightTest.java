package dev.lancet.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.fixtures.InFlight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scalar UDFs with max_in_flight above 1 and async UDFs: several calls outstanding, values in row
 * order.
 */
class InFlightTest {
  private final BufferAllocator allocator = new RootAllocator();

  @BeforeEach
  void reset() {
    InFlight.reset();
  }

  @AfterEach
  void close() {
    allocator.close();
  }

  private VectorSchemaRoot values(int n) {
    VectorSchemaRoot root =
        VectorSchemaRoot.create(
            new Schema(List.of(Field.nullable("v", new ArrowType.Int(32, true)))), allocator);
    IntVector iv = (IntVector) root.getVector(0);
    iv.allocateNew(n);
    for (int i = 0; i < n; i++) {
      if (i % 10 == 9) {
        iv.setNull(i);
      } else {
        iv.set(i, i);
      }
    }
    iv.setValueCount(n);
    root.setRowCount(n);
    return root;
  }

  private ColumnUdf udf(Class<?> c, Map<String, String> options) {
    return ColumnUdfs.instantiate(
        UdfInspector.inspect(c, UdfRegistration.of(null, null, options)),
        getClass().getClassLoader());
  }

  /** v * 10, null where v is null (every tenth row). */
  private static List<Object> expected(int n) {
    List<Object> o = new ArrayList<>();
    IntStream.range(0, n).forEach(i -> o.add(i % 10 == 9 ? null : i * 10L));
    return o;
  }

  private static List<Object> out(FieldVector v) {
    List<Object> o = new ArrayList<>();
    for (int i = 0; i < v.getValueCount(); i++) {
      o.add(v.getObject(i));
    }
    return o;
  }

  @Test
  void aBlockingUdfRunsMaxInFlightCallsAtOnceEachThreadWithItsOwnInstance() {
    try (VectorSchemaRoot in = values(200);
        ColumnUdf udf =
            udf(InFlight.Blocking.class, Map.of("max_in_flight", "8", "wait_ms", "2"))) {
      assertEquals(8, InFlight.SETUPS.get(), "one instance (and setup) per calling thread");
      for (int batch = 0; batch < 2; batch++) {
        try (FieldVector v = udf.compute(in, "out", allocator)) {
          assertEquals(expected(200), out(v));
        }
      }
      assertEquals(8, InFlight.MOST.get(), "8 calls in flight at most, and reached");
      assertEquals(0, InFlight.SHARED.get(), "no instance was called by two threads at once");
      assertEquals(180, InFlight.CALLS.size());
      InFlight.CALLS.values().forEach(c -> assertEquals(2, c.get(), "each row once per batch"));
    }
  }

  @Test
  void withOneInFlightAScalarUdfKeepsItsSingleInstance() {
    try (ColumnUdf udf = udf(InFlight.Blocking.class, Map.of("wait_ms", "0"))) {
      assertEquals(1, InFlight.SETUPS.get());
      assertEquals(1, udf.spec().callsInFlight());
    }
  }

  @Test
  void theFailingRowWithTheLowestIndexIsReportedAndUnderNullEveryOtherRowHasItsValue() {
    try (VectorSchemaRoot in = values(100);
        ColumnUdf failing =
            udf(
                InFlight.Blocking.class,
                Map.of("max_in_flight", "4", "wait_ms", "1", "fail_on", "37"));
        ColumnUdf nulling =
            udf(
                InFlight.Blocking.class,
                Map.of(
                    "max_in_flight", "4", "wait_ms", "1", "fail_on", "37", "on_error", "null"))) {
      UdfRowException e =
          assertThrows(UdfRowException.class, () -> failing.compute(in, "out", allocator));
      assertEquals(37, e.rowInBatch());
      assertEquals("v=37", e.inputValues());
      assertTrue(
          InFlight.CALLS.size() < 100,
          "no new call started long after the failure: " + InFlight.CALLS.size());

      List<Integer> failedRows = new ArrayList<>();
      try (FieldVector v =
          nulling.compute(
              in, "out", allocator, (row, inputs, error, attempts) -> failedRows.add(row))) {
        List<Object> want = expected(100);
        want.set(37, null);
        assertEquals(want, out(v));
      }
      assertEquals(List.of(37), failedRows);
    }
  }

  @Test
  void blockingCallsAreRetriedOnTheirOwnThreads() {
    try (VectorSchemaRoot in = values(40);
        ColumnUdf udf =
            udf(
                InFlight.Blocking.class,
                Map.of(
                    "max_in_flight",
                    "4",
                    "wait_ms",
                    "0",
                    "flaky",
                    "2",
                    "on_error",
                    "retry",
                    "retry_attempts",
                    "3",
                    "retry_backoff_ms",
                    "1"));
        FieldVector v = udf.compute(in, "out", allocator)) {
      assertEquals(expected(40), out(v));
      InFlight.CALLS
          .values()
          .forEach(c -> assertEquals(3, c.get(), "two failures, then the value"));
    }
  }

  @Test
  void anAsyncUdfKeepsAtMostMaxInFlightCallsOutstandingAndWritesInRowOrder() {
    try (VectorSchemaRoot in = values(300);
        ColumnUdf udf = udf(InFlight.Async.class, Map.of("max_in_flight", "16", "wait_ms", "3"));
        FieldVector v = udf.compute(in, "out", allocator)) {
      assertEquals(UdfKind.ASYNC, udf.spec().kind());
      assertEquals("bigint", udf.spec().outputType(), "from CompletableFuture<Long>");
      assertEquals(1, InFlight.SETUPS.get(), "one instance");
      assertEquals(expected(300), out(v));
      assertEquals(16, InFlight.MOST.get(), "16 outstanding at most, and reached");
    }
  }

  @Test
  void anAsyncUdfDefaultsTo64InFlight() {
    try (ColumnUdf udf = udf(InFlight.Async.class, Map.of())) {
      assertEquals(64, udf.spec().callsInFlight());
    }
  }

  @Test
  void anAsyncCallIsRetriedAfterItsBackoffAndOneWithoutAnswerTimesOut() {
    try (VectorSchemaRoot in = values(30);
        ColumnUdf flaky =
            udf(
                InFlight.Async.class,
                Map.of(
                    "wait_ms",
                    "1",
                    "flaky",
                    "1",
                    "on_error",
                    "retry",
                    "retry_attempts",
                    "2",
                    "retry_backoff_ms",
                    "1"));
        FieldVector v = flaky.compute(in, "out", allocator)) {
      assertEquals(expected(30), out(v));
      InFlight.CALLS.values().forEach(c -> assertEquals(2, c.get()));
    }
    List<String> errors = new ArrayList<>();
    try (VectorSchemaRoot in = values(20);
        ColumnUdf hanging =
            udf(
                InFlight.Async.class,
                Map.of("wait_ms", "1", "hang_on", "5", "timeout_ms", "50", "on_error", "null"));
        FieldVector v =
            hanging.compute(
                in,
                "out",
                allocator,
                (row, inputs, error, attempts) -> errors.add(row + ": " + error))) {
      List<Object> want = expected(20);
      want.set(5, null);
      assertEquals(want, out(v));
      assertEquals(
          List.of("5: java.util.concurrent.TimeoutException: no answer within timeout_ms 50"),
          errors);
    }
  }

  @Test
  void anAsyncUdfThatThrowsOrCompletesExceptionallyFailsItsRow() {
    try (VectorSchemaRoot in = values(5);
        ColumnUdf atOnce = udf(InFlight.ThrowsAtOnce.class, Map.of());
        ColumnUdf later = udf(InFlight.Async.class, Map.of("wait_ms", "1", "fail_on", "3"))) {
      UdfRowException e =
          assertThrows(UdfRowException.class, () -> atOnce.compute(in, "out", allocator));
      assertEquals(2, e.rowInBatch());
      assertTrue(e.getMessage().contains("IllegalArgumentException: bad input 2"), e.getMessage());
      UdfRowException l =
          assertThrows(UdfRowException.class, () -> later.compute(in, "out", allocator));
      assertEquals(3, l.rowInBatch());
      assertTrue(l.getMessage().contains("no value for 3"), l.getMessage());
    }
  }

  @Test
  void registrationsThatCannotWorkFailWithOneLine() {
    UdfException raw =
        assertThrows(UdfException.class, () -> UdfInspector.inspect(InFlight.Raw.class, Map.of()));
    assertTrue(
        raw.getMessage()
            .endsWith(
                "call(...) returns java.util.concurrent.CompletableFuture; name the value it"
                    + " completes with, e.g. CompletableFuture<Long>"),
        raw.getMessage());
    UdfException batched =
        assertThrows(
            UdfException.class,
            () ->
                UdfInspector.inspect(
                    dev.lancet.udf.fixtures.Kinds.FilenameLength.class,
                    UdfRegistration.of(null, "int", Map.of("max_in_flight", "4"))));
    assertTrue(
        batched.getMessage().contains("max_in_flight applies to scalar and async UDFs"),
        batched.getMessage());
    LancetException zero =
        assertThrows(
            LancetException.class,
            () ->
                UdfInspector.inspect(
                    InFlight.Async.class,
                    UdfRegistration.of(null, null, Map.of("max_in_flight", "0"))));
    assertEquals("option 'max_in_flight' must be a positive integer, got '0'", zero.getMessage());
  }
}
