package dev.lancet.udf.types;

import dev.lancet.udf.UdfException;
import java.util.Locale;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Short type strings (Spark DDL style: {@code int}, {@code bigint}, {@code string}, ...) to and
 * from Arrow types. This is how users declare output types and how specs store them.
 */
public final class TypeStrings {
  private TypeStrings() {}

  /** Parses a type string; fails with a message naming the string. */
  public static ArrowType parse(String type) {
    String t = type.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "boolean", "bool" -> ArrowType.Bool.INSTANCE;
      case "tinyint", "byte" -> new ArrowType.Int(8, true);
      case "smallint", "short" -> new ArrowType.Int(16, true);
      case "int", "integer" -> new ArrowType.Int(32, true);
      case "bigint", "long" -> new ArrowType.Int(64, true);
      case "float", "real" -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case "double" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case "string" -> ArrowType.Utf8.INSTANCE;
      case "binary" -> ArrowType.Binary.INSTANCE;
      default -> throw new UdfException("unsupported type '" + type + "': expected one of boolean, tinyint, smallint, int, bigint, float, double, string, binary");
    };
  }

  /** The canonical type string of an Arrow type, or a failure naming the type. */
  public static String format(ArrowType type) {
    if (type instanceof ArrowType.Bool) {
      return "boolean";
    }
    if (type instanceof ArrowType.Int i && i.getIsSigned()) {
      switch (i.getBitWidth()) {
        case 8: return "tinyint";
        case 16: return "smallint";
        case 32: return "int";
        case 64: return "bigint";
        default: break;
      }
    }
    if (type instanceof ArrowType.FloatingPoint f) {
      if (f.getPrecision() == FloatingPointPrecision.SINGLE) {
        return "float";
      }
      if (f.getPrecision() == FloatingPointPrecision.DOUBLE) {
        return "double";
      }
    }
    if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8) {
      return "string";
    }
    if (type instanceof ArrowType.Binary || type instanceof ArrowType.LargeBinary) {
      return "binary";
    }
    throw new UdfException("Arrow type " + type + " has no Lancet type string yet");
  }
}
