package dev.lancet.spark.ops;

import java.util.List;
import java.util.Map;

/**
 * One {@code name [type] USING UDF 'class' [INPUTS (...)] [JARS (...)] [OPTIONS (...)]} of an ADD
 * COLUMN, or {@code (name, name2, ...) USING UDF ...}: sibling columns storing the fields of the
 * UDF's record output.
 *
 * @param name the new column (the first sibling)
 * @param declaredType the type the user wrote, or null to take the UDF's
 * @param udfClass the UDF class name
 * @param inputs input columns in parameter order; empty to take the parameter names
 * @param options UDF options
 * @param jars the UDF's jar and its dependencies, to pin; empty to pin the session's jars
 * @param siblings the sibling columns, {@code name} first, in the order of the record's fields;
 *     empty for a column of its own
 */
public record VirtualColumnDef(
    String name,
    String declaredType,
    String udfClass,
    List<String> inputs,
    Map<String, String> options,
    List<String> jars,
    List<String> siblings) {
  public VirtualColumnDef {
    inputs = List.copyOf(inputs);
    options = Map.copyOf(options);
    jars = jars == null ? List.of() : List.copyOf(jars);
    siblings = siblings == null ? List.of() : List.copyOf(siblings);
    if (!siblings.isEmpty() && !siblings.get(0).equals(name)) {
      throw new IllegalArgumentException("a sibling group is named after its first column");
    }
  }

  /** A column of its own. */
  public VirtualColumnDef(
      String name,
      String declaredType,
      String udfClass,
      List<String> inputs,
      Map<String, String> options,
      List<String> jars) {
    this(name, declaredType, udfClass, inputs, options, jars, List.of());
  }

  /** The same UDF registered as sibling columns {@code names}, one per field of its record. */
  public VirtualColumnDef asSiblings(List<String> names) {
    return new VirtualColumnDef(names.get(0), declaredType, udfClass, inputs, options, jars, names);
  }

  /** The columns this definition adds: the siblings, or the column. */
  public List<String> columns() {
    return siblings.isEmpty() ? List.of(name) : siblings;
  }

  /** The UDF class that evaluates SQL-expression columns. */
  public static final String EXPRESSION_UDF = "dev.lancet.spark.expressions.SqlExpressionUdf";

  /**
   * A SQL-expression column ({@code name [type] AS (text)}); its inputs, type and SQL settings are
   * found when it is added.
   */
  public static VirtualColumnDef expression(String name, String declaredType, String text) {
    return new VirtualColumnDef(
        name, declaredType, EXPRESSION_UDF, List.of(), Map.of("expression", text), List.of());
  }

  /** Whether this is a SQL-expression column. */
  public boolean isExpression() {
    return EXPRESSION_UDF.equals(udfClass);
  }

  /** A column whose code is the session's jars. */
  public VirtualColumnDef(
      String name,
      String declaredType,
      String udfClass,
      List<String> inputs,
      Map<String, String> options) {
    this(name, declaredType, udfClass, inputs, options, List.of());
  }
}
