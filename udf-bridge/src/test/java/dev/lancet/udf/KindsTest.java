package dev.lancet.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.fixtures.Kinds;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UDF kinds end to end over real Arrow batches; the allocator catches leaks. */
class KindsTest {
  private BufferAllocator allocator;
  private VectorSchemaRoot batch;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
    Schema schema =
        new Schema(
            List.of(
                Field.nullable("filename", ArrowType.Utf8.INSTANCE),
                Field.nullable("v", new ArrowType.Int(32, true)),
                Field.nullable("w", new ArrowType.Int(32, true))));
    batch = VectorSchemaRoot.create(schema, allocator);
    VarCharVector names = (VarCharVector) batch.getVector("filename");
    IntVector v = (IntVector) batch.getVector("v");
    IntVector w = (IntVector) batch.getVector("w");
    names.allocateNew();
    v.allocateNew(3);
    w.allocateNew(3);
    String[] files = {"a.mp4", null, "long name.mp4"};
    for (int i = 0; i < 3; i++) {
      if (files[i] == null) {
        names.setNull(i);
      } else {
        names.setSafe(i, files[i].getBytes(StandardCharsets.UTF_8));
      }
      v.set(i, i + 1);
      w.set(i, 10 * (i + 1));
    }
    batch.setRowCount(3);
  }

  @AfterEach
  void close() {
    batch.close();
    allocator.close();
  }

  private FieldVector run(Class<?> udfClass, UdfRegistration reg) {
    UdfSpec spec = UdfInspector.inspect(udfClass, reg);
    try (ColumnUdf udf = ColumnUdfs.instantiate(spec, getClass().getClassLoader())) {
      return udf.compute(batch, "out", allocator);
    }
  }

  private FieldVector run(Class<?> udfClass) {
    return run(udfClass, UdfRegistration.DEFAULT);
  }

  private static List<Object> values(FieldVector v) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < v.getValueCount(); i++) {
      Object o = v.getObject(i);
      out.add(o == null ? null : o.toString());
    }
    return out;
  }

  @Test
  void batchedUdfOverArraysComputesTheColumn() {
    UdfSpec spec = UdfInspector.inspect(Kinds.FilenameLength.class, UdfRegistration.DEFAULT);
    assertEquals(UdfKind.BATCHED, spec.kind());
    assertEquals(List.of("filename"), spec.inputs());
    assertEquals("int", spec.outputType());
    try (FieldVector out = run(Kinds.FilenameLength.class)) {
      assertEquals(Arrays.asList("5", null, "13"), values(out));
    }
  }

  @Test
  void recordBatchUdfReceivesTheNamedSubsetOfColumns() {
    UdfSpec spec = UdfInspector.inspect(Kinds.FilenameLengthBatch.class, UdfRegistration.DEFAULT);
    assertEquals(UdfKind.RECORD_BATCH, spec.kind());
    assertEquals(List.of("filename"), spec.inputs());
    try (FieldVector out = run(Kinds.FilenameLengthBatch.class)) {
      assertEquals(Arrays.asList("5", null, "13"), values(out));
    }
  }

  @Test
  void recordBatchUdfCanTakeTheAllocatorForItsResult() {
    try (FieldVector out = run(Kinds.FilenameLengthBatchWithAllocator.class)) {
      assertEquals(Arrays.asList("5", null, "13"), values(out));
    }
  }

  @Test
  void batchedUdfCanTakeTheAllocatorBetweenItsInputs() {
    UdfSpec spec = UdfInspector.inspect(Kinds.SumWithAllocator.class, UdfRegistration.DEFAULT);
    assertEquals(List.of("a", "b"), spec.inputs());
    try (FieldVector out =
        run(Kinds.SumWithAllocator.class, UdfRegistration.of(List.of("v", "w"), Map.of()))) {
      assertEquals(List.of("11", "22", "33"), values(out));
    }
  }

  @Test
  void badBatchedOutputIsRejectedBeforeAnyoneUsesIt() {
    assertMessage(
        "returned 1 values for a batch of 3 rows",
        () -> run(Kinds.WrongLength.class, inputs("v")).close());
    assertMessage(
        "returned a vector of type bigint but the column's type is int",
        () -> run(Kinds.WrongType.class, inputs("v")).close());
    assertMessage(
        "returned 3 null(s) for a non-null column",
        () -> run(Kinds.NullsIntoNonNull.class, inputs("v")).close());
  }

  @Test
  void returningAnInputVectorHandsBackACopy() {
    try (FieldVector out = run(Kinds.Identity.class, inputs("v"))) {
      assertEquals(List.of("1", "2", "3"), values(out));
    }
    assertEquals(3, batch.getVector("v").getValueCount(), "the input is untouched");
  }

  @Test
  void vectorUdfMustDeclareItsTypeAndTheTypeMustFitItsVector() {
    assertMessage(
        "returns an Arrow vector, so it must declare its output type",
        () -> UdfInspector.inspect(Kinds.ReturnsVectorWithoutType.class, UdfRegistration.DEFAULT));
    assertMessage(
        "call(...) returns IntVector but the declared type string is stored in a VarCharVector",
        () ->
            UdfInspector.inspect(
                Kinds.Identity.class, UdfRegistration.of(null, "string", Map.of())));
  }

  @Test
  void statefulUdfGetsItsOptionsAndSetsUpAndClosesOnce() {
    int setups = Kinds.Stateful.SETUPS.get();
    int closes = Kinds.Stateful.CLOSES.get();
    UdfSpec spec =
        UdfInspector.inspect(
            Kinds.Stateful.class, UdfRegistration.of(List.of("v"), null, Map.of("offset", "100")));
    assertEquals(Map.of("offset", "100"), spec.options());
    try (ColumnUdf udf = ColumnUdfs.instantiate(spec, getClass().getClassLoader())) {
      for (int round = 0; round < 3; round++) {
        try (FieldVector out = udf.compute(batch, "out", allocator)) {
          assertEquals(List.of("101", "102", "103"), values(out));
        }
      }
      assertEquals(setups + 1, Kinds.Stateful.SETUPS.get(), "setup() once, not per batch");
    }
    assertEquals(closes + 1, Kinds.Stateful.CLOSES.get());
  }

  @Test
  void inputAnnotationNamesTheColumn() {
    assertEquals(
        List.of("w"),
        UdfInspector.inspect(Kinds.AnnotatedInput.class, UdfRegistration.DEFAULT).inputs());
    try (FieldVector out = run(Kinds.AnnotatedInput.class)) {
      assertEquals(List.of("20", "40", "60"), values(out));
    }
  }

  @Test
  void scalarUdfsOfRicherTypes() {
    try (FieldVector out = run(Kinds.Embed.class, inputs("filename"))) {
      assertEquals(
          "float[4]",
          UdfInspector.inspect(Kinds.Embed.class, UdfRegistration.DEFAULT).outputType());
      assertEquals(4, ((List<?>) out.getObject(0)).size());
      assertEquals(null, out.getObject(1));
    }
    assertMessage(
        "returned 3 values for a fixed-size array of 4",
        () -> run(Kinds.EmbedTooShort.class, inputs("filename")).close());
    try (FieldVector out = run(Kinds.MakePoint.class, inputs("v"))) {
      assertEquals("struct<x:int,label:string>", TypeOf.of(out));
      assertEquals("{\"x\":2,\"label\":\"p2\"}", out.getObject(1).toString());
    }
    try (FieldVector out = run(Kinds.Tags.class, inputs("filename"))) {
      assertEquals("[\"long\",\"name.mp4\"]", out.getObject(2).toString());
    }
    try (FieldVector out = run(Kinds.Counts.class, inputs("filename"))) {
      assertEquals("map<string,int>", TypeOf.of(out));
    }
    try (FieldVector out = run(Kinds.Price.class, inputs("w"))) {
      assertEquals(new BigDecimal("0.30"), out.getObject(2));
    }
    assertMessage(
        "is a BigDecimal, which needs a declared type",
        () -> UdfInspector.inspect(Kinds.PriceUndeclared.class, UdfRegistration.DEFAULT));
    assertEquals(
        "decimal(12,2)",
        UdfInspector.inspect(
                Kinds.PriceUndeclared.class, UdfRegistration.of(null, "decimal(12,2)", Map.of()))
            .outputType());
  }

  @Test
  void dateInputsAndOutputs() {
    Schema schema = new Schema(List.of(Field.nullable("d", new ArrowType.Date(DateUnit.DAY))));
    try (VectorSchemaRoot dates = VectorSchemaRoot.create(schema, allocator);
        ColumnUdf udf =
            ColumnUdfs.instantiate(
                UdfInspector.inspect(Kinds.NextDay.class, Map.of(), List.of("d")),
                getClass().getClassLoader())) {
      DateDayVector d = (DateDayVector) dates.getVector("d");
      d.allocateNew(2);
      d.set(0, (int) LocalDate.of(2026, 12, 31).toEpochDay());
      d.setNull(1);
      d.setValueCount(2);
      dates.setRowCount(2);
      try (FieldVector out = udf.compute(dates, "next", allocator)) {
        assertEquals(LocalDate.of(2027, 1, 1).toEpochDay(), ((DateDayVector) out).get(0));
        assertTrue(out.isNull(1));
      }
    }
  }

  @Test
  void onErrorNullRecordsTheRowAndWritesNull() {
    UdfSpec spec =
        UdfInspector.inspect(
            dev.lancet.udf.fixtures.Udfs.Throws.class,
            UdfRegistration.of(
                List.of("v"), null, Map.of("on_error", "null", "max_error_fraction", "0.5")));
    assertTrue(spec.errorPolicy().nullOnError());
    assertEquals(0.5, spec.errorPolicy().maxErrorFraction());
    List<String> errors = new ArrayList<>();
    try (ColumnUdf udf = ColumnUdfs.instantiate(spec, getClass().getClassLoader());
        FieldVector out =
            udf.compute(
                batch,
                "out",
                allocator,
                (row, inputs, error, attempts) ->
                    errors.add(row + ":" + inputs + ":" + error.getMessage()))) {
      assertEquals(Arrays.asList("1", "2", null), values(out));
      assertEquals(List.of("2:v=3:three"), errors);
    }
  }

  @Test
  void registrationOptionsConfigureLancetAndTheRestGoToTheUdf() {
    UdfSpec spec =
        UdfInspector.inspect(
            Kinds.Stateful.class,
            UdfRegistration.of(
                List.of("v"),
                null,
                Map.of(
                    "batch_size",
                    "64",
                    "num_cpus",
                    "2",
                    "num_gpus",
                    "0.5",
                    "memory",
                    "512m",
                    "model",
                    "small")));
    assertEquals(64, spec.batchSize());
    assertEquals(new UdfResources(2, 0.5, 512L << 20), spec.resources());
    assertEquals(Map.of("model", "small"), spec.options());
    assertEquals(spec, UdfSpec.fromJson(spec.toJson()), "every field survives JSON");
    assertMessage(
        "option 'batch_size' must be a positive integer, got 'x'",
        () -> UdfRegistration.of(null, null, Map.of("batch_size", "x")));
    assertMessage(
        "option 'on_error' must be 'fail', 'null' or 'retry', got 'skip'",
        () -> UdfRegistration.of(null, null, Map.of("on_error", "skip")));
    assertMessage(
        "option 'memory' must be a byte count",
        () -> UdfRegistration.of(null, null, Map.of("memory", "lots")));
  }

  private static UdfRegistration inputs(String... columns) {
    return UdfRegistration.of(List.of(columns), Map.of());
  }

  private static void assertMessage(
      String expected, org.junit.jupiter.api.function.Executable call) {
    LancetException e = assertThrows(LancetException.class, call);
    assertTrue(
        e.getMessage().contains(expected),
        "expected: " + expected + "\nbut was: " + e.getMessage());
  }

  /** The Lancet type of a vector, as its type string. */
  static final class TypeOf {
    static String of(FieldVector v) {
      return dev.lancet.udf.types.TypeStrings.of(v.getField()).toString();
    }
  }
}
