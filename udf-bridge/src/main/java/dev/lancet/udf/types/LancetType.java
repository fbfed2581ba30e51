package dev.lancet.udf.types;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * A column type as Lancet names it: the parsed form of a type string such as {@code bigint}, {@code
 * decimal(10,2)}, {@code array<float>}, {@code float[1536]}, {@code map<string,int>} or {@code
 * struct<a:int,b:string>}. Each maps to exactly one Arrow field shape; {@link #toString()} is the
 * canonical type string.
 */
public sealed interface LancetType {
  /**
   * The name of a list's element field. Spark's Arrow writer (lance-spark) names it {@code
   * element}; Lance refuses an append whose list children are named otherwise than the table's, so
   * virtual columns use the same name.
   */
  String ELEMENT = "element";

  /** The Arrow field of this type. Virtual columns are nullable (null until computed). */
  Field toField(String name, boolean nullable);

  /** A scalar type: boolean, integers, floats, string, binary, date, timestamps. */
  record Primitive(String name) implements LancetType {
    static final List<String> NAMES =
        List.of(
            "boolean",
            "tinyint",
            "smallint",
            "int",
            "bigint",
            "float",
            "double",
            "string",
            "binary",
            "date",
            "timestamp",
            "timestamp_ntz");

    public ArrowType arrowType() {
      return switch (name) {
        case "boolean" -> ArrowType.Bool.INSTANCE;
        case "tinyint" -> new ArrowType.Int(8, true);
        case "smallint" -> new ArrowType.Int(16, true);
        case "int" -> new ArrowType.Int(32, true);
        case "bigint" -> new ArrowType.Int(64, true);
        case "float" -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
        case "double" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        case "string" -> ArrowType.Utf8.INSTANCE;
        case "binary" -> ArrowType.Binary.INSTANCE;
        case "date" -> new ArrowType.Date(DateUnit.DAY);
        case "timestamp" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
        case "timestamp_ntz" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
        default -> throw new IllegalStateException(name);
      };
    }

    @Override
    public Field toField(String fieldName, boolean nullable) {
      return new Field(fieldName, new FieldType(nullable, arrowType(), null), null);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A decimal with a declared precision and scale. */
  record Decimal(int precision, int scale) implements LancetType {
    @Override
    public Field toField(String name, boolean nullable) {
      return new Field(
          name, new FieldType(nullable, new ArrowType.Decimal(precision, scale, 128), null), null);
    }

    @Override
    public String toString() {
      return "decimal(" + precision + "," + scale + ")";
    }
  }

  /** A variable-length list. */
  record ArrayOf(LancetType element) implements LancetType {
    @Override
    public Field toField(String name, boolean nullable) {
      return new Field(
          name,
          new FieldType(nullable, ArrowType.List.INSTANCE, null),
          List.of(element.toField(ELEMENT, true)));
    }

    @Override
    public String toString() {
      return "array<" + element + ">";
    }
  }

  /** A fixed-size list, e.g. an embedding {@code float[1536]}. */
  record FixedArray(LancetType element, int size) implements LancetType {
    @Override
    public Field toField(String name, boolean nullable) {
      return new Field(
          name,
          new FieldType(nullable, new ArrowType.FixedSizeList(size), null),
          List.of(element.toField(ELEMENT, true)));
    }

    @Override
    public String toString() {
      return element + "[" + size + "]";
    }
  }

  /** A map from string keys to values. */
  record MapOf(LancetType value) implements LancetType {
    @Override
    public Field toField(String name, boolean nullable) {
      Field entries =
          new Field(
              "entries",
              new FieldType(false, ArrowType.Struct.INSTANCE, null),
              List.of(
                  new Field("key", new FieldType(false, ArrowType.Utf8.INSTANCE, null), null),
                  value.toField("value", true)));
      return new Field(
          name, new FieldType(nullable, new ArrowType.Map(false), null), List.of(entries));
    }

    @Override
    public String toString() {
      return "map<string," + value + ">";
    }
  }

  /** A struct with named fields, in order. */
  record StructOf(List<Member> members) implements LancetType {
    public StructOf {
      members = List.copyOf(members);
    }

    /** One named field of a struct. */
    public record Member(String name, LancetType type) {}

    @Override
    public Field toField(String name, boolean nullable) {
      List<Field> children = new ArrayList<>();
      for (Member m : members) {
        children.add(m.type.toField(m.name, true));
      }
      return new Field(name, new FieldType(nullable, ArrowType.Struct.INSTANCE, null), children);
    }

    @Override
    public String toString() {
      return members.stream()
          .map(m -> m.name + ":" + m.type)
          .collect(Collectors.joining(",", "struct<", ">"));
    }
  }

  /** Whether this type is, or holds, a map. */
  default boolean containsMap() {
    if (this instanceof MapOf) {
      return true;
    }
    if (this instanceof ArrayOf a) {
      return a.element().containsMap();
    }
    if (this instanceof FixedArray f) {
      return f.element().containsMap();
    }
    return this instanceof StructOf s && s.members().stream().anyMatch(m -> m.type().containsMap());
  }

  /** The canonical type strings of the scalar types, for messages. */
  static String scalarNames() {
    return String.join(", ", Primitive.NAMES) + ", decimal(p,s)";
  }
}
