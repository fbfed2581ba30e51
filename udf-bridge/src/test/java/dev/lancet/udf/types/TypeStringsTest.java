package dev.lancet.udf.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.UdfException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeStringsTest {
  /** Every supported Java type, its type string, and that the string survives Arrow and back. */
  @Test
  void everySupportedJavaTypeMapsToATypeStringThatRoundTripsThroughArrow() {
    Map<Class<?>, String> expected = Map.ofEntries(
        Map.entry(boolean.class, "boolean"), Map.entry(Boolean.class, "boolean"),
        Map.entry(byte.class, "tinyint"), Map.entry(Byte.class, "tinyint"),
        Map.entry(short.class, "smallint"), Map.entry(Short.class, "smallint"),
        Map.entry(int.class, "int"), Map.entry(Integer.class, "int"),
        Map.entry(long.class, "bigint"), Map.entry(Long.class, "bigint"),
        Map.entry(float.class, "float"), Map.entry(Float.class, "float"),
        Map.entry(double.class, "double"), Map.entry(Double.class, "double"),
        Map.entry(String.class, "string"), Map.entry(byte[].class, "binary"));
    expected.forEach((javaType, typeString) -> {
      assertEquals(typeString, JavaTypes.typeString(javaType).orElseThrow(), javaType.getName());
      assertEquals(typeString, TypeStrings.format(TypeStrings.parse(typeString)));
    });
  }

  @Test
  void synonymsAndCaseAreAccepted() {
    for (String s : List.of("INT", "integer", " Int ")) {
      assertEquals("int", TypeStrings.format(TypeStrings.parse(s)));
    }
    assertEquals("bigint", TypeStrings.format(TypeStrings.parse("long")));
  }

  @Test
  void unknownTypeStringNamesItAndTheChoices() {
    UdfException e = assertThrows(UdfException.class, () -> TypeStrings.parse("strng"));
    assertTrue(e.getMessage().startsWith("unsupported type 'strng': expected one of boolean"), e.getMessage());
  }
}
