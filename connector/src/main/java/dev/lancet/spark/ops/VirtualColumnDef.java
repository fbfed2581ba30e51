package dev.lancet.spark.ops;

import java.util.List;
import java.util.Map;

/**
 * One {@code name [type] USING UDF 'class' [INPUTS (...)] [JARS (...)] [OPTIONS (...)]} of an ADD
 * COLUMN.
 *
 * @param name the new column
 * @param declaredType the type the user wrote, or null to take the UDF's
 * @param udfClass the UDF class name
 * @param inputs input columns in parameter order; empty to take the parameter names
 * @param options UDF options
 * @param jars the UDF's jar and its dependencies, to pin; empty to pin the session's jars
 */
public record VirtualColumnDef(
    String name,
    String declaredType,
    String udfClass,
    List<String> inputs,
    Map<String, String> options,
    List<String> jars) {
  public VirtualColumnDef {
    inputs = List.copyOf(inputs);
    options = Map.copyOf(options);
    jars = jars == null ? List.of() : List.copyOf(jars);
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
