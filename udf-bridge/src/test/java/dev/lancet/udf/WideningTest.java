package dev.lancet.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lancet.udf.fixtures.Widening;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Java's widening conversions for UDF inputs, on every scalar runner: the generated kernel (the
 * default), the codec loop (retries) and the per-row argument reader (calls in flight, async).
 */
class WideningTest {
  private final BufferAllocator allocator = new RootAllocator();

  private static final ArrowType TINYINT = new ArrowType.Int(8, true);
  private static final ArrowType SMALLINT = new ArrowType.Int(16, true);
  private static final ArrowType INT = new ArrowType.Int(32, true);
  private static final ArrowType BIGINT = new ArrowType.Int(64, true);
  private static final ArrowType FLOAT = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
  private static final ArrowType DOUBLE =
      new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

  /** Registration options choosing each runner a scalar UDF can take. */
  private static final Map<String, Map<String, String>> RUNNERS = new LinkedHashMap<>();

  static {
    RUNNERS.put("generated kernel", Map.of());
    RUNNERS.put("codec loop", Map.of("on_error", "retry"));
    RUNNERS.put("calls in flight", Map.of("max_in_flight", "2"));
  }

  @AfterEach
  void close() {
    allocator.close();
  }

  /** One column {@code v} of {@code type} holding {@code values} (null for a null). */
  private VectorSchemaRoot column(ArrowType type, Number... values) {
    VectorSchemaRoot root =
        VectorSchemaRoot.create(new Schema(List.of(Field.nullable("v", type))), allocator);
    FieldVector v = root.getVector(0);
    v.allocateNew();
    for (int i = 0; i < values.length; i++) {
      Number n = values[i];
      if (n == null) {
        ((org.apache.arrow.vector.BaseFixedWidthVector) v).setNull(i);
      } else if (v instanceof TinyIntVector x) {
        x.setSafe(i, n.byteValue());
      } else if (v instanceof SmallIntVector x) {
        x.setSafe(i, n.shortValue());
      } else if (v instanceof IntVector x) {
        x.setSafe(i, n.intValue());
      } else if (v instanceof BigIntVector x) {
        x.setSafe(i, n.longValue());
      } else if (v instanceof Float4Vector x) {
        x.setSafe(i, n.floatValue());
      } else {
        ((Float8Vector) v).setSafe(i, n.doubleValue());
      }
    }
    v.setValueCount(values.length);
    root.setRowCount(values.length);
    return root;
  }

  private ColumnUdf udf(Class<?> c, Map<String, String> options) {
    return ColumnUdfs.instantiate(
        UdfInspector.inspect(c, UdfRegistration.of(List.of("v"), null, options)),
        getClass().getClassLoader());
  }

  private static List<String> values(FieldVector v) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.getValueCount(); i++) {
      Object o = v.getObject(i);
      out.add(o == null ? null : o.toString());
    }
    return out;
  }

  /**
   * Runs the UDF over the column on every runner; each must give {@code expected} with {@code
   * calls} calls.
   */
  private void assertOnEveryRunner(
      Class<?> udf, ArrowType type, Number[] column, List<String> expected, int calls) {
    for (Map.Entry<String, Map<String, String>> runner : RUNNERS.entrySet()) {
      Widening.CALLS.set(0);
      try (VectorSchemaRoot in = column(type, column);
          ColumnUdf u = udf(udf, runner.getValue());
          FieldVector out = u.compute(in, "out", allocator)) {
        assertEquals(expected, values(out), udf.getSimpleName() + " on the " + runner.getKey());
        assertEquals(
            calls, Widening.CALLS.get(), udf.getSimpleName() + " calls on the " + runner.getKey());
      }
    }
  }

  private static final Number[] INTS = {1, null, -7, 16_777_217};

  @Test
  void anIntColumnFeedsLongFloatAndDoubleParametersAndANullGivesNullWithoutACall() {
    assertOnEveryRunner(
        Widening.ToLong.class,
        INT,
        INTS,
        Arrays.asList("long 1", null, "long -7", "long 16777217"),
        3);
    assertOnEveryRunner(
        Widening.ToFloat.class,
        INT,
        INTS,
        Arrays.asList("float 1.0", null, "float -7.0", "float " + (float) 16_777_217),
        3);
    assertOnEveryRunner(
        Widening.ToDouble.class,
        INT,
        INTS,
        Arrays.asList("double 1.0", null, "double -7.0", "double 1.6777217E7"),
        3);
  }

  @Test
  void anIntColumnFeedsBoxedLongAndDoubleParametersWhichReceiveNulls() {
    assertOnEveryRunner(
        Widening.ToBoxedLong.class,
        INT,
        INTS,
        List.of("Long 1", "Long null", "Long -7", "Long 16777217"),
        4);
    assertOnEveryRunner(
        Widening.ToBoxedDouble.class,
        INT,
        INTS,
        List.of("Double 1.0", "Double null", "Double -7.0", "Double 1.6777217E7"),
        4);
  }

  @Test
  void aFloatColumnFeedsADoubleParameterWithJavasWidenedValue() {
    assertOnEveryRunner(
        Widening.ToDouble.class,
        FLOAT,
        new Number[] {1.5f, null, 0.1f},
        Arrays.asList("double 1.5", null, "double " + (double) 0.1f),
        2);
  }

  @Test
  void aBigIntColumnFeedsADoubleParameter() {
    assertOnEveryRunner(
        Widening.ToDouble.class,
        BIGINT,
        new Number[] {Long.MAX_VALUE, -3L},
        List.of("double " + (double) Long.MAX_VALUE, "double -3.0"),
        2);
  }

  @Test
  void smallIntAndTinyIntColumnsFeedAnIntParameter() {
    assertOnEveryRunner(
        Widening.ToInt.class,
        SMALLINT,
        new Number[] {(short) 300, null, Short.MIN_VALUE},
        Arrays.asList("int 300", null, "int -32768"),
        2);
    assertOnEveryRunner(
        Widening.ToInt.class,
        TINYINT,
        new Number[] {(byte) -128, null, (byte) 5},
        Arrays.asList("int -128", null, "int 5"),
        2);
  }

  @Test
  void anAsyncUdfReadsAnIntColumnIntoADoubleParameter() {
    try (VectorSchemaRoot in = column(INT, INTS);
        ColumnUdf u = udf(Widening.AsyncToDouble.class, Map.of());
        FieldVector out = u.compute(in, "out", allocator)) {
      assertEquals(
          Arrays.asList("double 1.0", null, "double -7.0", "double 1.6777217E7"), values(out));
    }
  }

  @Test
  void narrowingIsRefusedAtRegistrationAndAtRunTimeWithOneLineNamingColumnTypeAndParameter() {
    assertNarrowingRefused(
        Widening.ToInt.class,
        BIGINT,
        "UDF dev.lancet.udf.fixtures.Widening$ToInt: column 'v' of type bigint cannot be passed"
            + " to parameter 'v' (int)");
    assertNarrowingRefused(
        Widening.ToFloat.class,
        DOUBLE,
        "UDF dev.lancet.udf.fixtures.Widening$ToFloat: column 'v' of type double cannot be passed"
            + " to parameter 'v' (float)");
    assertNarrowingRefused(
        Widening.ToBoxedLong.class,
        FLOAT,
        "UDF dev.lancet.udf.fixtures.Widening$ToBoxedLong: column 'v' of type float cannot be"
            + " passed to parameter 'v' (java.lang.Long)");
  }

  private void assertNarrowingRefused(Class<?> udf, ArrowType type, String message) {
    UdfSpec spec = UdfInspector.inspect(udf, UdfRegistration.of(List.of("v"), Map.of()));
    UdfException planned =
        assertThrows(
            UdfException.class,
            () ->
                ColumnUdfs.checkInputs(
                    spec,
                    new Schema(List.of(Field.nullable("v", type))),
                    getClass().getClassLoader()));
    assertEquals(message, planned.getMessage());
    assertFalse(planned.getMessage().contains("\n"), "one line");
    for (Map.Entry<String, Map<String, String>> runner : RUNNERS.entrySet()) {
      try (VectorSchemaRoot in = column(type, 1);
          ColumnUdf u = udf(udf, runner.getValue())) {
        UdfException run =
            assertThrows(UdfException.class, () -> u.compute(in, "out", allocator).close());
        assertEquals(message, run.getMessage(), runner.getKey());
      }
    }
  }
}
