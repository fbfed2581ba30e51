package dev.lancet.udf.types;

import java.util.Map;
import java.util.Optional;

/** Which type string a Java parameter or return type maps to. */
public final class JavaTypes {
  private JavaTypes() {}

  private static final Map<Class<?>, String> TYPES =
      Map.ofEntries(
          Map.entry(boolean.class, "boolean"), Map.entry(Boolean.class, "boolean"),
          Map.entry(byte.class, "tinyint"), Map.entry(Byte.class, "tinyint"),
          Map.entry(short.class, "smallint"), Map.entry(Short.class, "smallint"),
          Map.entry(int.class, "int"), Map.entry(Integer.class, "int"),
          Map.entry(long.class, "bigint"), Map.entry(Long.class, "bigint"),
          Map.entry(float.class, "float"), Map.entry(Float.class, "float"),
          Map.entry(double.class, "double"), Map.entry(Double.class, "double"),
          Map.entry(String.class, "string"),
          Map.entry(byte[].class, "binary"));

  /** The type string for a Java class, if it is supported. */
  public static Optional<String> typeString(Class<?> javaType) {
    return Optional.ofNullable(TYPES.get(javaType));
  }

  /** Supported Java types, for error messages. */
  public static String supported() {
    return "boolean, byte, short, int, long, float, double (primitive or boxed), String, byte[]";
  }
}
