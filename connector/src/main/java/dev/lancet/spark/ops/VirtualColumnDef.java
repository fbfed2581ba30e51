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
