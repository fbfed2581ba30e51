package dev.lancet.spark.ops;

import java.util.List;
import java.util.Map;

/**
 * One {@code name [type] USING UDF 'class' [INPUTS (...)] [OPTIONS (...)]} of an ADD COLUMN.
 *
 * @param name the new column
 * @param declaredType the type the user wrote, or null to take the UDF's
 * @param udfClass the UDF class name
 * @param inputs input columns in parameter order; empty to take the parameter names
 * @param options UDF options
 */
public record VirtualColumnDef(
    String name,
    String declaredType,
    String udfClass,
    List<String> inputs,
    Map<String, String> options) {
  public VirtualColumnDef {
    inputs = List.copyOf(inputs);
    options = Map.copyOf(options);
  }
}
