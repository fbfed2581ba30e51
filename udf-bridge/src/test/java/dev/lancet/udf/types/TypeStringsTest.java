package dev.lancet.udf.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.UdfException;
import dev.lancet.udf.fixtures.Kinds;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;

class TypeStringsTest {
  interface Generic {
    List<String> strings();

    Map<String, Double> doubles();

    List<List<Integer>> nested();

    Map<Integer, String> intKeys();

    List<? extends Number> wildcard();
  }

  private static Type generic(String method) throws NoSuchMethodException {
    return Generic.class.getMethod(method).getGenericReturnType();
  }

  /** The type table, Java to type string. */
  @Test
  void everyRowOfTheTypeTableInfersItsTypeString() throws Exception {
    Map<Type, String> table = new LinkedHashMap<>();
    table.put(boolean.class, "boolean");
    table.put(Boolean.class, "boolean");
    table.put(byte.class, "tinyint");
    table.put(Byte.class, "tinyint");
    table.put(short.class, "smallint");
    table.put(Short.class, "smallint");
    table.put(int.class, "int");
    table.put(Integer.class, "int");
    table.put(long.class, "bigint");
    table.put(Long.class, "bigint");
    table.put(float.class, "float");
    table.put(Float.class, "float");
    table.put(double.class, "double");
    table.put(Double.class, "double");
    table.put(String.class, "string");
    table.put(byte[].class, "binary");
    table.put(LocalDate.class, "date");
    table.put(Instant.class, "timestamp");
    table.put(LocalDateTime.class, "timestamp_ntz");
    table.put(float[].class, "array<float>");
    table.put(double[].class, "array<double>");
    table.put(int[].class, "array<int>");
    table.put(long[].class, "array<bigint>");
    table.put(generic("strings"), "array<string>");
    table.put(generic("nested"), "array<array<int>>");
    table.put(generic("doubles"), "map<string,double>");
    table.put(Kinds.Point.class, "struct<x:int,label:string>");
    table.forEach(
        (javaType, typeString) -> {
          LancetType t = JavaTypes.infer(javaType, "x");
          assertEquals(typeString, t.toString(), javaType.getTypeName());
          assertTrue(
              JavaTypes.matches(t, javaType), typeString + " matches " + javaType.getTypeName());
          assertEquals(t, TypeStrings.parse(typeString), "parse(" + typeString + ")");
          Field field = t.toField("c", true);
          assertEquals(t, TypeStrings.of(field), "Arrow round trip of " + typeString);
        });
  }

  @Test
  void declaredOnlyTypesMatchTheirJavaTypes() {
    assertTrue(JavaTypes.matches(TypeStrings.parse("decimal(10,2)"), BigDecimal.class));
    assertTrue(JavaTypes.matches(TypeStrings.parse("float[1536]"), float[].class));
    assertTrue(JavaTypes.matches(TypeStrings.parse("array<float>"), float[].class));
    assertFalse(JavaTypes.matches(TypeStrings.parse("float[3]"), double[].class));
    assertEquals("float[1536]", TypeStrings.canonical("FLOAT [1536]"));
    assertEquals("decimal(10,0)", TypeStrings.canonical("decimal"));
    assertEquals(
        "struct<a:int,b:array<string>>",
        TypeStrings.canonical("struct< a : int , b : array<string> >"));
  }

  @Test
  void unsupportedJavaTypesNameTheParameterAndType() throws Exception {
    assertThrowsWith(
        "p has type java.util.Date, which is not supported",
        () -> JavaTypes.infer(java.util.Date.class, "p"));
    assertThrowsWith(
        "p key",
        () -> {
          throw new UdfException(JavaTypes.infer(generic("intKeys"), "p key").toString());
        });
    assertThrowsWith(
        "p is a BigDecimal, which needs a declared type such as decimal(10,2)",
        () -> JavaTypes.infer(BigDecimal.class, "p"));
    assertThrowsWith(
        "p element has type ? extends java.lang.Number, which is not supported",
        () -> JavaTypes.infer(generic("wildcard"), "p"));
  }

  @Test
  void inputsWidenAsJavasPrimitivesDoAndNarrowingIsRefused() {
    Map<String, List<Class<?>>> accepted =
        Map.of(
            "tinyint", List.of(byte.class, short.class, int.class, long.class, float.class),
            "smallint", List.of(short.class, int.class, long.class, float.class, double.class),
            "int", List.of(int.class, long.class, float.class, double.class, Long.class),
            "bigint", List.of(long.class, float.class, double.class, Float.class, Double.class),
            "float", List.of(float.class, double.class, Double.class),
            "double", List.of(double.class, Double.class));
    Map<String, List<Class<?>>> refused =
        Map.of(
            "tinyint", List.of(boolean.class, String.class),
            "smallint", List.of(byte.class, Byte.class),
            "int", List.of(short.class, byte.class, Short.class),
            "bigint", List.of(int.class, Integer.class, short.class),
            "float", List.of(long.class, int.class, Long.class),
            "double", List.of(float.class, Float.class, long.class));
    accepted.forEach(
        (column, types) ->
            types.forEach(
                t ->
                    assertTrue(
                        JavaTypes.acceptsInput(TypeStrings.parse(column), t),
                        column + " feeds " + t.getName())));
    refused.forEach(
        (column, types) ->
            types.forEach(
                t ->
                    assertFalse(
                        JavaTypes.acceptsInput(TypeStrings.parse(column), t),
                        column + " does not feed " + t.getName())));
    assertTrue(JavaTypes.acceptsInput(TypeStrings.parse("tinyint"), Integer.class));
    assertFalse(JavaTypes.acceptsInput(TypeStrings.parse("string"), int.class));
    assertFalse(JavaTypes.acceptsInput(TypeStrings.parse("boolean"), int.class));
  }

  @Test
  void synonymsAndCaseAreAccepted() {
    for (String s : List.of("INT", "integer", " Int ")) {
      assertEquals("int", TypeStrings.canonical(s));
    }
    assertEquals("bigint", TypeStrings.canonical("long"));
  }

  @Test
  void badTypeStringsNameThePositionAndTheChoices() {
    assertThrowsWith(
        "type 'strng' at position 0: unsupported type 'strng': expected one of boolean",
        () -> TypeStrings.parse("strng"));
    assertThrowsWith(
        "type 'map<int,string>' at position 4: map keys must be string",
        () -> TypeStrings.parse("map<int,string>"));
    assertThrowsWith(
        "type 'array<int' at position 9: expected '>'", () -> TypeStrings.parse("array<int"));
    assertThrowsWith(
        "decimal(40,2) needs 1 <= precision <= 38", () -> TypeStrings.parse("decimal(40,2)"));
    assertThrowsWith("unexpected 'x'", () -> TypeStrings.parse("int x"));
  }

  private static void assertThrowsWith(
      String expected, org.junit.jupiter.api.function.Executable call) {
    UdfException e = assertThrows(UdfException.class, call);
    assertTrue(
        e.getMessage().contains(expected),
        "expected: " + expected + "\nbut was: " + e.getMessage());
  }
}
