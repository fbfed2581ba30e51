package dev.lancet.spark.functions;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.TableFunctionRegistry;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;

/**
 * A session's short names for 1:N UDFs ({@code CREATE TEMPORARY TABLE FUNCTION f USING UDF ...}):
 * registers them, and tells what a name stands for, so a materialized view's query that uses one
 * records it and a later session, which never ran the CREATE, can refresh the view.
 */
public final class TableFunctions {
  /**
   * A short name's definition.
   *
   * @param className the UDF class
   * @param options its options
   */
  public record Definition(String className, Map<String, String> options) {
    public Definition {
      options = Map.copyOf(options);
    }
  }

  /** Per session's registry (weakly: a session's go with it), the definitions registered. */
  private static final Map<TableFunctionRegistry, Map<String, Definition>> DEFINED =
      new WeakHashMap<>();

  private TableFunctions() {}

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** Registers {@code name} in {@code spark}'s session (replacing one of that name). */
  public static void register(SparkSession spark, String name, Definition definition) {
    TableFunctionRegistry registry = spark.sessionState().tableFunctionRegistry();
    registry.registerFunction(
        FunctionIdentifier.apply(name),
        ExplodeFunction.info(name),
        ExplodeFunction.builder(name, definition.className(), definition.options()));
    synchronized (DEFINED) {
      DEFINED.computeIfAbsent(registry, r -> new HashMap<>()).put(key(name), definition);
    }
  }

  /** Whether {@code spark}'s session has a table function {@code name} (of any kind). */
  public static boolean exists(SparkSession spark, String name) {
    return spark
        .sessionState()
        .tableFunctionRegistry()
        .functionExists(FunctionIdentifier.apply(name));
  }

  /** What {@code name} stands for in {@code spark}'s session, when it is a Lancet short name. */
  public static Optional<Definition> definitionOf(SparkSession spark, String name) {
    TableFunctionRegistry registry = spark.sessionState().tableFunctionRegistry();
    scala.Option<ExpressionInfo> info = registry.lookupFunction(FunctionIdentifier.apply(name));
    if (info.isEmpty() || !ExplodeFunction.class.getName().equals(info.get().getClassName())) {
      return Optional.empty(); // none, or another kind's (a Python UDTF)
    }
    synchronized (DEFINED) {
      Map<String, Definition> names = DEFINED.get(registry);
      return Optional.ofNullable(names == null ? null : names.get(key(name)));
    }
  }
}
