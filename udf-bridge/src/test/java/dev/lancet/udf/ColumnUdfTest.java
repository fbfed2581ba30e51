package dev.lancet.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.fixtures.Udfs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs UDFs over real Arrow batches; the allocator's close fails the test on any leaked buffer. */
class ColumnUdfTest {
  private BufferAllocator allocator;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void close() {
    allocator.close();
  }

  private VectorSchemaRoot ints(String a, Integer[] av, String b, Integer[] bv) {
    Schema schema =
        new Schema(
            List.of(
                Field.nullable(a, new ArrowType.Int(32, true)),
                Field.nullable(b, new ArrowType.Int(32, true))));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    fill((IntVector) root.getVector(a), av);
    fill((IntVector) root.getVector(b), bv);
    root.setRowCount(av.length);
    return root;
  }

  private static void fill(IntVector v, Integer[] values) {
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        v.setNull(i);
      } else {
        v.set(i, values[i]);
      }
    }
    v.setValueCount(values.length);
  }

  private static List<Object> values(FieldVector v) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < v.getValueCount(); i++) {
      Object o = v.getObject(i);
      out.add(o == null ? null : o.toString());
    }
    return out;
  }

  private ColumnUdf udf(Class<?> c, List<String> inputs) {
    return ColumnUdfs.instantiate(
        UdfInspector.inspect(c, Map.of(), inputs), getClass().getClassLoader());
  }

  @Test
  void scalarUdfComputesEveryRowAndNullInputToPrimitiveGivesNull() {
    try (VectorSchemaRoot in = ints("x", new Integer[] {2, null, 4}, "y", new Integer[] {3, 5, 6});
        ColumnUdf udf = udf(Udfs.Area.class, null);
        FieldVector out = udf.compute(in, "area", allocator)) {
      assertEquals("area", out.getName());
      assertEquals(new ArrowType.Int(64, true), out.getField().getType());
      assertEquals(Arrays.asList("6", null, "24"), values(out));
    }
  }

  @Test
  void boxedParametersReceiveNulls() {
    Schema schema =
        new Schema(
            List.of(
                Field.nullable("a", new ArrowType.Int(32, true)),
                Field.nullable("b", ArrowType.Utf8.INSTANCE)));
    try (VectorSchemaRoot in = VectorSchemaRoot.create(schema, allocator);
        ColumnUdf udf = udf(Udfs.NullCounter.class, null)) {
      fill((IntVector) in.getVector("a"), new Integer[] {1, null, null});
      VarCharVector b = (VarCharVector) in.getVector("b");
      b.allocateNew();
      b.setSafe(0, "x".getBytes(StandardCharsets.UTF_8));
      b.setNull(1);
      b.setSafe(2, "y".getBytes(StandardCharsets.UTF_8));
      b.setValueCount(3);
      in.setRowCount(3);
      try (FieldVector out = udf.compute(in, "nulls", allocator)) {
        assertEquals(List.of("0", "2", "1"), values(out));
      }
    }
  }

  @Test
  void stringsInAndOutAndWideningReaders() {
    Schema schema =
        new Schema(
            List.of(
                Field.nullable("name", ArrowType.Utf8.INSTANCE),
                Field.nullable(
                    "f",
                    new ArrowType.FloatingPoint(
                        org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE)),
                Field.nullable("i", new ArrowType.Int(32, true))));
    try (VectorSchemaRoot in = VectorSchemaRoot.create(schema, allocator);
        ColumnUdf upper = udf(Udfs.Upper.class, null);
        ColumnUdf widen = udf(Udfs.Widen.class, List.of("f", "i"))) {
      VarCharVector name = (VarCharVector) in.getVector("name");
      name.allocateNew();
      name.setSafe(0, "cat.mp4".getBytes(StandardCharsets.UTF_8));
      name.setSafe(1, "émoji ✓".getBytes(StandardCharsets.UTF_8));
      name.setValueCount(2);
      Float4Vector f = (Float4Vector) in.getVector("f");
      f.allocateNew(2);
      f.set(0, 1.5f);
      f.set(1, 2.25f);
      f.setValueCount(2);
      fill((IntVector) in.getVector("i"), new Integer[] {10, 20});
      in.setRowCount(2);
      try (FieldVector u = upper.compute(in, "u", allocator);
          FieldVector w = widen.compute(in, "w", allocator)) {
        assertEquals(List.of("CAT.MP4", "ÉMOJI ✓"), values(u));
        assertEquals(List.of("11.5", "22.25"), values(w));
      }
    }
  }

  @Test
  void udfThatThrowsReportsRowInBatchAndInputs() {
    try (VectorSchemaRoot in =
            ints("v", new Integer[] {1, 2, 3, 4}, "unused", new Integer[] {0, 0, 0, 0});
        ColumnUdf udf = udf(Udfs.Throws.class, null)) {
      UdfRowException e =
          assertThrows(UdfRowException.class, () -> udf.compute(in, "out", allocator));
      assertEquals(2, e.rowInBatch());
      assertEquals("v=3", e.inputValues());
      assertTrue(
          e.getMessage()
              .contains("failed with java.lang.IllegalStateException: three on input (v=3)"),
          e.getMessage());
    }
  }

  @Test
  void aValueTheColumnCannotHoldFailsItsRowUnderTheErrorPolicy() {
    try (VectorSchemaRoot in =
            ints("v", new Integer[] {1, 100, 3}, "unused", new Integer[] {0, 0, 0});
        ColumnUdf wide = udf(Udfs.Wide.class, null);
        ColumnUdf ragged = udf(Udfs.Ragged.class, null)) {
      UdfRowException e =
          assertThrows(UdfRowException.class, () -> wide.compute(in, "out", allocator));
      assertEquals(1, e.rowInBatch(), "the row whose value overflows decimal(4,2)");
      assertEquals("v=100", e.inputValues());
      UdfRowException f =
          assertThrows(UdfRowException.class, () -> ragged.compute(in, "out", allocator));
      assertEquals(2, f.rowInBatch(), "the row whose array has the wrong length");

      List<String> failed = new ArrayList<>();
      try (FieldVector out =
          wide.compute(
              in,
              "out",
              allocator,
              (row, inputs, error, attempts) -> failed.add(row + ":" + inputs))) {
        assertEquals(
            java.util.Arrays.asList("1.00", null, "3.00"),
            values(out),
            "on_error = null: the row is null");
      }
      assertEquals(List.of("1:v=100"), failed);
    }
  }

  @Test
  void incompatibleOrMissingInputColumnIsNamed() {
    try (VectorSchemaRoot in = ints("name", new Integer[] {1}, "other", new Integer[] {2});
        ColumnUdf upper = udf(Udfs.Upper.class, null);
        ColumnUdf area = udf(Udfs.Area.class, null)) {
      UdfException type = assertThrows(UdfException.class, () -> upper.compute(in, "u", allocator));
      assertTrue(
          type.getMessage()
              .contains(
                  "column 'name' of type int cannot be passed to parameter 'name'"
                      + " (java.lang.String)"),
          type.getMessage());
      UdfException missing =
          assertThrows(UdfException.class, () -> area.compute(in, "a", allocator));
      assertTrue(
          missing.getMessage().contains("input column 'x' is not in the batch [name, other]"),
          missing.getMessage());
    }
  }

  @Test
  void checkInputsValidatesAgainstATableSchemaBeforeRunning() {
    Schema schema =
        new Schema(
            List.of(
                Field.nullable("x", new ArrowType.Int(32, true)),
                Field.nullable("name", ArrowType.Utf8.INSTANCE)));
    ColumnUdfs.checkInputs(
        UdfInspector.inspect(Udfs.Area.class, Map.of(), List.of("x", "x")),
        schema,
        getClass().getClassLoader());
    UdfException e =
        assertThrows(
            UdfException.class,
            () ->
                ColumnUdfs.checkInputs(
                    UdfInspector.inspect(Udfs.Area.class, Map.of(), List.of("x", "name")),
                    schema,
                    getClass().getClassLoader()));
    assertTrue(
        e.getMessage()
            .contains("column 'name' of type string cannot be passed to parameter 'y' (int)"),
        e.getMessage());
  }

  @Test
  void closingTheRunnerClosesAnAutoCloseableUdf() {
    int before = Udfs.Closeable.closed;
    udf(Udfs.Closeable.class, null).close();
    assertEquals(before + 1, Udfs.Closeable.closed);
  }
}
