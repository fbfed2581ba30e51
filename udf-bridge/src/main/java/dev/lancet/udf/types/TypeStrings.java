package dev.lancet.udf.types;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.UdfException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Parses type strings (Spark DDL style, plus {@code T[n]} for fixed-size arrays) into {@link
 * LancetType}s, and reads the type of an existing Arrow field.
 *
 * <pre>
 * boolean tinyint smallint int bigint float double string binary date timestamp timestamp_ntz
 * decimal(p,s)   array&lt;T&gt;   T[n]   map&lt;string,T&gt;   struct&lt;name:T,...&gt;
 * </pre>
 */
public final class TypeStrings {
  private TypeStrings() {}

  /** Parses a type string; fails with a message naming the string and the position. */
  public static LancetType parse(String type) {
    Parser p = new Parser(type);
    LancetType t = p.type();
    p.skipSpaces();
    if (p.pos != type.length()) {
      throw p.error("unexpected '" + type.substring(p.pos) + "'");
    }
    return t;
  }

  /** The canonical form of a type string. */
  public static String canonical(String type) {
    return parse(type).toString();
  }

  /** The Lancet type of an Arrow field, or a failure naming the field and its Arrow type. */
  public static LancetType of(Field field) {
    ArrowType t = field.getType();
    if (t instanceof ArrowType.Bool) {
      return new LancetType.Primitive("boolean");
    }
    if (t instanceof ArrowType.Int i && i.getIsSigned()) {
      switch (i.getBitWidth()) {
        case 8:
          return new LancetType.Primitive("tinyint");
        case 16:
          return new LancetType.Primitive("smallint");
        case 32:
          return new LancetType.Primitive("int");
        case 64:
          return new LancetType.Primitive("bigint");
        default:
          break;
      }
    }
    if (t instanceof ArrowType.FloatingPoint f && f.getPrecision() != FloatingPointPrecision.HALF) {
      return new LancetType.Primitive(
          f.getPrecision() == FloatingPointPrecision.SINGLE ? "float" : "double");
    }
    if (t instanceof ArrowType.Utf8 || t instanceof ArrowType.LargeUtf8) {
      return new LancetType.Primitive("string");
    }
    if (t instanceof ArrowType.Binary || t instanceof ArrowType.LargeBinary) {
      return new LancetType.Primitive("binary");
    }
    if (t instanceof ArrowType.Date d && d.getUnit() == DateUnit.DAY) {
      return new LancetType.Primitive("date");
    }
    if (t instanceof ArrowType.Timestamp ts) {
      return new LancetType.Primitive(ts.getTimezone() == null ? "timestamp_ntz" : "timestamp");
    }
    if (t instanceof ArrowType.Decimal d) {
      return new LancetType.Decimal(d.getPrecision(), d.getScale());
    }
    if (t instanceof ArrowType.List || t instanceof ArrowType.LargeList) {
      return new LancetType.ArrayOf(of(field.getChildren().get(0)));
    }
    if (t instanceof ArrowType.FixedSizeList f) {
      return new LancetType.FixedArray(of(field.getChildren().get(0)), f.getListSize());
    }
    if (t instanceof ArrowType.Map) {
      Field entries = field.getChildren().get(0);
      return new LancetType.MapOf(of(entries.getChildren().get(1)));
    }
    if (t instanceof ArrowType.Struct) {
      List<LancetType.StructOf.Member> members = new ArrayList<>();
      for (Field child : field.getChildren()) {
        members.add(new LancetType.StructOf.Member(child.getName(), of(child)));
      }
      return new LancetType.StructOf(members);
    }
    throw new UdfException(
        ErrorCode.LANCET_INVALID_TYPE,
        "column '"
            + field.getName()
            + "' has Arrow type "
            + t
            + ", which Lancet UDFs cannot read yet");
  }

  /** A small recursive-descent parser over the type string. */
  private static final class Parser {
    final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    LancetType type() {
      skipSpaces();
      int start = pos;
      String word = word();
      if (word.isEmpty()) {
        throw error("expected a type");
      }
      String name = word.toLowerCase(Locale.ROOT);
      LancetType t =
          switch (name) {
            case "boolean", "bool" -> new LancetType.Primitive("boolean");
            case "tinyint", "byte" -> new LancetType.Primitive("tinyint");
            case "smallint", "short" -> new LancetType.Primitive("smallint");
            case "int", "integer" -> new LancetType.Primitive("int");
            case "bigint", "long" -> new LancetType.Primitive("bigint");
            case "float", "real" -> new LancetType.Primitive("float");
            case "double" -> new LancetType.Primitive("double");
            case "string", "varchar" -> new LancetType.Primitive("string");
            case "binary" -> new LancetType.Primitive("binary");
            case "date" -> new LancetType.Primitive("date");
            case "timestamp", "timestamp_ltz" -> new LancetType.Primitive("timestamp");
            case "timestamp_ntz" -> new LancetType.Primitive("timestamp_ntz");
            case "decimal", "numeric" -> decimal();
            case "array" -> {
              expect('<');
              LancetType element = type();
              expect('>');
              yield new LancetType.ArrayOf(element);
            }
            case "map" -> {
              expect('<');
              int keyAt = pos;
              LancetType key = type();
              if (!key.equals(new LancetType.Primitive("string"))) {
                pos = keyAt;
                throw error("map keys must be string, got " + key);
              }
              expect(',');
              LancetType value = type();
              expect('>');
              yield new LancetType.MapOf(value);
            }
            case "struct" -> struct();
            default -> {
              pos = start;
              throw error(
                  "unsupported type '"
                      + word
                      + "': expected one of "
                      + LancetType.scalarNames()
                      + ", array<T>, T[n], map<string,T>, struct<name:T,...>");
            }
          };
      skipSpaces();
      while (peek() == '[') {
        pos++;
        int size = number();
        expect(']');
        if (size <= 0) {
          throw error("fixed array size must be positive");
        }
        t = new LancetType.FixedArray(t, size);
        skipSpaces();
      }
      return t;
    }

    private LancetType decimal() {
      skipSpaces();
      if (peek() != '(') {
        return new LancetType.Decimal(10, 0);
      }
      pos++;
      int precision = number();
      int scale = 0;
      skipSpaces();
      if (peek() == ',') {
        pos++;
        scale = number();
      }
      expect(')');
      if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
        throw error(
            "decimal("
                + precision
                + ","
                + scale
                + ") needs 1 <= precision <= 38 and 0 <= scale <= precision");
      }
      return new LancetType.Decimal(precision, scale);
    }

    private LancetType struct() {
      expect('<');
      List<LancetType.StructOf.Member> members = new ArrayList<>();
      do {
        skipSpaces();
        String name = word();
        if (name.isEmpty()) {
          throw error("expected a struct field name");
        }
        expect(':');
        members.add(new LancetType.StructOf.Member(name, type()));
        skipSpaces();
      } while (accept(','));
      expect('>');
      return new LancetType.StructOf(members);
    }

    String word() {
      int start = pos;
      while (pos < s.length()
          && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      return s.substring(start, pos);
    }

    int number() {
      skipSpaces();
      int start = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw error("expected a number");
      }
      return Integer.parseInt(s.substring(start, pos));
    }

    void expect(char c) {
      skipSpaces();
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    boolean accept(char c) {
      skipSpaces();
      if (peek() == c) {
        pos++;
        return true;
      }
      return false;
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : 0;
    }

    void skipSpaces() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    UdfException error(String problem) {
      return new UdfException(
          ErrorCode.LANCET_INVALID_TYPE, "type '" + s + "' at position " + pos + ": " + problem);
    }
  }
}
