package dev.lancet.udf.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.UdfException;
import dev.lancet.udf.fixtures.Kinds;
import dev.lancet.udf.types.JavaTypes;
import dev.lancet.udf.types.LancetType;
import dev.lancet.udf.types.TypeStrings;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every row of the type table: Java values written to Arrow and read back equal, nulls included.
 */
class CodecRoundTripTest {
  private final BufferAllocator allocator = new RootAllocator();

  interface Generic {
    List<String> strings();

    Map<String, Integer> ints();

    List<Kinds.Point> points();

    List<Float> floats();
  }

  @AfterEach
  void close() {
    allocator.close();
  }

  private void roundTrip(String typeString, Type javaType, Object... values) {
    LancetType type = TypeStrings.parse(typeString);
    Codec codec = Codec.of(type, javaType);
    try (FieldVector v = type.toField("c", true).createVector(allocator)) {
      v.allocateNew();
      for (int i = 0; i < values.length; i++) {
        codec.write(v, i, values[i]);
      }
      v.setValueCount(values.length);
      for (int i = 0; i < values.length; i++) {
        Object back = codec.read(v, i);
        if (values[i] == null) {
          assertNull(back, typeString + " row " + i);
        } else if (values[i].getClass().isArray()) {
          assertTrue(
              Arrays.deepEquals(new Object[] {values[i]}, new Object[] {back}),
              typeString + " row " + i);
        } else {
          assertEquals(values[i], back, typeString + " row " + i);
        }
      }
    }
  }

  private static Type generic(String m) throws NoSuchMethodException {
    return Generic.class.getMethod(m).getGenericReturnType();
  }

  @Test
  void scalarsRoundTrip() {
    roundTrip("boolean", Boolean.class, true, null, false);
    roundTrip("tinyint", Byte.class, (byte) -3, null, Byte.MAX_VALUE);
    roundTrip("smallint", Short.class, (short) 300, null);
    roundTrip("int", Integer.class, 1, null, Integer.MIN_VALUE);
    roundTrip("bigint", Long.class, Long.MAX_VALUE, null);
    roundTrip("float", Float.class, 1.5f, null, Float.NaN);
    roundTrip("double", Double.class, -2.25, null);
    roundTrip("string", String.class, "héllo ✓", null, "");
    roundTrip("binary", byte[].class, new byte[] {1, 2, 3}, null, new byte[0]);
    roundTrip(
        "date", LocalDate.class, LocalDate.of(2026, 11, 24), null, LocalDate.of(1969, 12, 31));
    roundTrip("timestamp", Instant.class, Instant.parse("2026-11-24T14:50:00.123456Z"), null);
    roundTrip(
        "timestamp_ntz",
        LocalDateTime.class,
        LocalDateTime.of(2026, 11, 24, 14, 50, 0, 123456000),
        null);
    roundTrip(
        "decimal(10,2)",
        BigDecimal.class,
        new BigDecimal("12345678.90"),
        null,
        new BigDecimal("-0.01"));
  }

  @Test
  void listsMapsAndStructsRoundTrip() throws Exception {
    roundTrip("array<float>", float[].class, new float[] {1f, 2f}, null, new float[0]);
    roundTrip("array<double>", double[].class, new double[] {1.5}, null);
    roundTrip("array<int>", int[].class, new int[] {1, 2, 3});
    roundTrip("array<bigint>", long[].class, new long[] {Long.MIN_VALUE});
    roundTrip("float[3]", float[].class, new float[] {1f, 2f, 3f}, null, new float[] {0f, 0f, 0f});
    roundTrip("array<string>", generic("strings"), List.of("a", "b"), null, List.of());
    roundTrip(
        "map<string,int>", generic("ints"), new LinkedHashMap<>(Map.of("a", 1)), null, Map.of());
    roundTrip(
        "struct<x:int,label:string>",
        Kinds.Point.class,
        new Kinds.Point(1, "one"),
        null,
        new Kinds.Point(2, null));
    roundTrip(
        "array<struct<x:int,label:string>>", generic("points"), List.of(new Kinds.Point(3, "c")));
  }

  @Test
  void primitiveArraysCopiedInBulkRoundTripAtEveryBitOffset() {
    Object[] floats = new Object[40];
    Object[] longs = new Object[40];
    for (int i = 0; i < floats.length; i++) {
      float[] f = new float[3 + i % 5]; // element runs start at every offset of a validity byte
      long[] l = new long[f.length];
      for (int k = 0; k < f.length; k++) {
        f[k] = i * 10 + k + 0.5f;
        l[k] = (long) i << 33 | k;
      }
      floats[i] = i % 7 == 3 ? null : f;
      longs[i] = l;
    }
    roundTrip("array<float>", float[].class, floats);
    roundTrip("array<bigint>", long[].class, longs);
    Object[] fixed = new Object[20];
    for (int i = 0; i < fixed.length; i++) {
      fixed[i] = new double[] {i, -i, i * 0.25};
    }
    roundTrip("double[3]", double[].class, fixed);
    roundTrip(
        "int[2]",
        int[].class,
        new int[] {1, 2},
        null,
        new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE});
  }

  @Test
  void anArrayElementThatIsNullIsStillRefusedWithTheReason() throws Exception {
    LancetType type = TypeStrings.parse("array<float>");
    Codec listOfBoxes = Codec.of(type, Generic.class.getMethod("floats").getGenericReturnType());
    Codec array = Codec.of(type, float[].class);
    try (FieldVector v = type.toField("c", true).createVector(allocator)) {
      v.allocateNew();
      listOfBoxes.write(v, 0, Arrays.asList(1f, null, 3f));
      v.setValueCount(1);
      UdfException e = assertThrows(UdfException.class, () -> array.read(v, 0));
      assertTrue(
          e.getMessage().contains("has a null element, which a float[] cannot hold"),
          e.getMessage());
    }
  }

  @Test
  void valuesThatDoNotFitAreRefusedWithTheReason() {
    UdfException size =
        assertThrows(
            UdfException.class, () -> roundTrip("float[3]", float[].class, new float[] {1f}));
    assertTrue(
        size.getMessage().contains("returned 1 values for a fixed-size array of 3"),
        size.getMessage());
    UdfException scale =
        assertThrows(
            UdfException.class,
            () -> roundTrip("decimal(5,1)", BigDecimal.class, new BigDecimal("1.25")));
    assertTrue(
        scale
            .getMessage()
            .contains("value 1.25 has more than the 1 decimal places of decimal(5,1)"),
        scale.getMessage());
    UdfException precision =
        assertThrows(
            UdfException.class,
            () -> roundTrip("decimal(3,1)", BigDecimal.class, new BigDecimal("1234.5")));
    assertTrue(
        precision.getMessage().contains("does not fit decimal(3,1)"), precision.getMessage());
  }

  @Test
  void wideningReadsIntoTheWiderParameterType() {
    LancetType intType = TypeStrings.parse("int");
    try (FieldVector v = intType.toField("c", true).createVector(allocator)) {
      v.allocateNew();
      Codec.of(intType, Integer.class).write(v, 0, 7);
      v.setValueCount(1);
      assertEquals(7L, Codec.of(intType, long.class).read(v, 0));
      assertEquals(7f, Codec.of(intType, float.class).read(v, 0));
      assertEquals(7.0, Codec.of(intType, double.class).read(v, 0));
      assertEquals(7L, Codec.of(intType, Long.class).read(v, 0));
      assertEquals(7.0, Codec.of(intType, Double.class).read(v, 0));
    }
    LancetType bigint = TypeStrings.parse("bigint");
    try (FieldVector v = bigint.toField("c", true).createVector(allocator)) {
      v.allocateNew();
      Codec.of(bigint, long.class).write(v, 0, Long.MAX_VALUE);
      v.setValueCount(2);
      assertEquals((float) Long.MAX_VALUE, Codec.of(bigint, float.class).read(v, 0));
      assertEquals((double) Long.MAX_VALUE, Codec.of(bigint, Double.class).read(v, 0));
      assertNull(Codec.of(bigint, Double.class).read(v, 1), "a null stays null");
    }
    LancetType floatType = TypeStrings.parse("float");
    try (FieldVector v = floatType.toField("c", true).createVector(allocator)) {
      v.allocateNew();
      Codec.of(floatType, float.class).write(v, 0, 0.1f);
      v.setValueCount(1);
      assertEquals((double) 0.1f, Codec.of(floatType, double.class).read(v, 0));
    }
    assertArrayEquals(
        new Object[] {"array<int>"}, new Object[] {JavaTypes.infer(int[].class, "x").toString()});
  }
}
