package dev.lancet.udf.types;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.UdfException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Java side of the type table: which Lancet type a Java type maps to, and which Java types can
 * receive or produce a given Lancet type.
 *
 * <table>
 * <caption>Java to Lancet types</caption>
 * <tr><th>Java</th><th>type string</th></tr>
 * <tr><td>boolean / Boolean</td><td>boolean</td></tr>
 * <tr><td>byte, short, int, long (and boxes)</td><td>tinyint, smallint, int, bigint</td></tr>
 * <tr><td>float, double (and boxes)</td><td>float, double</td></tr>
 * <tr><td>String</td><td>string</td></tr>
 * <tr><td>byte[]</td><td>binary</td></tr>
 * <tr><td>BigDecimal</td><td>decimal(p,s), declared</td></tr>
 * <tr><td>LocalDate</td><td>date</td></tr>
 * <tr><td>Instant</td><td>timestamp (UTC, microseconds)</td></tr>
 * <tr><td>LocalDateTime</td><td>timestamp_ntz</td></tr>
 * <tr><td>float[], double[], int[], long[]</td><td>array&lt;T&gt;, or T[n] when declared</td></tr>
 * <tr><td>List&lt;T&gt;</td><td>array&lt;T&gt;</td></tr>
 * <tr><td>Map&lt;String,T&gt;</td><td>map&lt;string,T&gt;</td></tr>
 * <tr><td>a record</td><td>struct&lt;component:T,...&gt;</td></tr>
 * </table>
 *
 * Primitive parameters mean non-null inputs (a null input gives a null output without a call);
 * boxed and object parameters receive nulls. Inputs widen as Java's primitives do ({@link
 * #acceptsInput}).
 */
public final class JavaTypes {
  private JavaTypes() {}

  private static final Map<Class<?>, String> SCALARS =
      Map.ofEntries(
          Map.entry(boolean.class, "boolean"),
          Map.entry(Boolean.class, "boolean"),
          Map.entry(byte.class, "tinyint"),
          Map.entry(Byte.class, "tinyint"),
          Map.entry(short.class, "smallint"),
          Map.entry(Short.class, "smallint"),
          Map.entry(int.class, "int"),
          Map.entry(Integer.class, "int"),
          Map.entry(long.class, "bigint"),
          Map.entry(Long.class, "bigint"),
          Map.entry(float.class, "float"),
          Map.entry(Float.class, "float"),
          Map.entry(double.class, "double"),
          Map.entry(Double.class, "double"),
          Map.entry(String.class, "string"),
          Map.entry(byte[].class, "binary"),
          Map.entry(LocalDate.class, "date"),
          Map.entry(Instant.class, "timestamp"),
          Map.entry(LocalDateTime.class, "timestamp_ntz"));

  private static final Map<Class<?>, String> PRIMITIVE_ARRAYS =
      Map.of(
          float[].class,
          "float",
          double[].class,
          "double",
          int[].class,
          "int",
          long[].class,
          "bigint");

  /** Supported Java types, for error messages. */
  public static String supported() {
    return "boolean, byte, short, int, long, float, double (primitive or boxed), String, byte[],"
        + " BigDecimal, LocalDate, Instant, LocalDateTime, float[], double[], int[], long[],"
        + " List<T>, Map<String, T>, records";
  }

  /**
   * The Lancet type of a Java type.
   *
   * @param where names the parameter or return value, for the error message
   */
  public static LancetType infer(Type type, String where) {
    if (type instanceof Class<?> c) {
      String scalar = SCALARS.get(c);
      if (scalar != null) {
        return new LancetType.Primitive(scalar);
      }
      String element = PRIMITIVE_ARRAYS.get(c);
      if (element != null) {
        return new LancetType.ArrayOf(new LancetType.Primitive(element));
      }
      if (c == BigDecimal.class) {
        throw new UdfException(
            ErrorCode.LANCET_INVALID_TYPE,
            where
                + " is a BigDecimal, which needs a declared type such as decimal(10,2)"
                + " (@Udf(type = \"decimal(10,2)\") or a type in ADD COLUMN)");
      }
      if (c.isRecord()) {
        List<LancetType.StructOf.Member> members = new ArrayList<>();
        for (RecordComponent rc : c.getRecordComponents()) {
          members.add(
              new LancetType.StructOf.Member(
                  rc.getName(),
                  infer(rc.getGenericType(), where + " component '" + rc.getName() + "'")));
        }
        return new LancetType.StructOf(members);
      }
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw) && raw.isAssignableFrom(ArrayList.class)) {
        return new LancetType.ArrayOf(infer(args[0], where + " element"));
      }
      if (raw == Map.class && args[0] == String.class) {
        return new LancetType.MapOf(infer(args[1], where + " value"));
      }
    }
    throw new UdfException(
        ErrorCode.LANCET_INVALID_TYPE,
        where
            + " has type "
            + type.getTypeName()
            + ", which is not supported; supported: "
            + supported());
  }

  /** Whether values of {@code type} convert exactly to and from {@code javaType}. */
  public static boolean matches(LancetType type, Type javaType) {
    if (type instanceof LancetType.Decimal) {
      return javaType == BigDecimal.class;
    }
    if (type instanceof LancetType.Primitive p) {
      return javaType instanceof Class<?> c && p.name().equals(SCALARS.get(c));
    }
    LancetType element =
        type instanceof LancetType.ArrayOf a
            ? a.element()
            : type instanceof LancetType.FixedArray f ? f.element() : null;
    if (element != null) {
      if (javaType instanceof Class<?> c && PRIMITIVE_ARRAYS.containsKey(c)) {
        return element.equals(new LancetType.Primitive(PRIMITIVE_ARRAYS.get(c)));
      }
      return javaType instanceof ParameterizedType p
          && p.getRawType() == List.class
          && matches(element, p.getActualTypeArguments()[0]);
    }
    if (type instanceof LancetType.MapOf m) {
      return javaType instanceof ParameterizedType p
          && p.getRawType() == Map.class
          && p.getActualTypeArguments()[0] == String.class
          && matches(m.value(), p.getActualTypeArguments()[1]);
    }
    if (type instanceof LancetType.StructOf s && javaType instanceof Class<?> c && c.isRecord()) {
      RecordComponent[] rc = c.getRecordComponents();
      if (rc.length != s.members().size()) {
        return false;
      }
      for (int i = 0; i < rc.length; i++) {
        LancetType.StructOf.Member m = s.members().get(i);
        if (!m.name().equals(rc[i].getName()) || !matches(m.type(), rc[i].getGenericType())) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Java's widening primitive conversions (JLS 5.1.2) between the numeric type strings: what each
   * column type may also feed.
   */
  private static final Map<String, List<String>> WIDENINGS =
      Map.of(
          "tinyint", List.of("smallint", "int", "bigint", "float", "double"),
          "smallint", List.of("int", "bigint", "float", "double"),
          "int", List.of("bigint", "float", "double"),
          "bigint", List.of("float", "double"),
          "float", List.of("double"));

  /**
   * Whether a column of {@code columnType} can feed a parameter of {@code javaType}: an exact
   * match, or one of Java's widening primitive conversions (byte to short, int, long, float or
   * double; short to int, long, float or double; int to long, float or double; long to float or
   * double; float to double), to the primitive or its box. Narrowing is refused.
   */
  public static boolean acceptsInput(LancetType columnType, Type javaType) {
    if (matches(columnType, javaType)) {
      return true;
    }
    if (columnType instanceof LancetType.Primitive p && javaType instanceof Class<?> c) {
      String target = SCALARS.get(c);
      return target != null && WIDENINGS.getOrDefault(p.name(), List.of()).contains(target);
    }
    return false;
  }

  /** A type's raw class. */
  public static Class<?> rawClass(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (t instanceof GenericArrayType) {
      return Object[].class;
    }
    return Object.class;
  }
}
