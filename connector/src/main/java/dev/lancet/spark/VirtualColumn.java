package dev.lancet.spark;

import java.util.List;
import java.util.Map;

/**
 * How to compute a virtual column, for the Java API: a UDF class plus optional input columns,
 * output type and options (UDF options and Lancet's: batch_size, num_cpus, num_gpus, memory,
 * on_error, max_error_fraction).
 *
 * <pre>{@code
 * VirtualColumn.of(HashEmbedding.class).inputs("caption").options(Map.of("seed", "7"))
 * }</pre>
 *
 * @param udfClass the UDF class name
 * @param inputs input columns in parameter order; empty to take them from the UDF
 * @param type output type string, or null to take it from the UDF
 * @param options options
 */
public record VirtualColumn(
    String udfClass, List<String> inputs, String type, Map<String, String> options) {
  public VirtualColumn {
    inputs = List.copyOf(inputs);
    options = Map.copyOf(options);
  }

  /** A column computed by {@code udf}. */
  public static VirtualColumn of(Class<?> udf) {
    return of(udf.getName());
  }

  /** A column computed by the UDF class named {@code udfClass}. */
  public static VirtualColumn of(String udfClass) {
    return new VirtualColumn(udfClass, List.of(), null, Map.of());
  }

  /**
   * A column that is a Spark SQL expression of the row's columns ({@code ADD COLUMN c AS (expr)}),
   * e.g. {@code VirtualColumn.expression("x * y")}; its inputs and type come from the expression.
   */
  public static VirtualColumn expression(String sql) {
    return new VirtualColumn(
        dev.lancet.spark.ops.VirtualColumnDef.EXPRESSION_UDF,
        List.of(),
        null,
        Map.of("expression", sql));
  }

  /** Reads these columns, in parameter order. */
  public VirtualColumn inputs(String... columns) {
    return new VirtualColumn(udfClass, List.of(columns), type, options);
  }

  /** Declares the output type. */
  public VirtualColumn type(String typeString) {
    return new VirtualColumn(udfClass, inputs, typeString, options);
  }

  /** Sets options. */
  public VirtualColumn options(Map<String, String> newOptions) {
    return new VirtualColumn(udfClass, inputs, type, newOptions);
  }
}
