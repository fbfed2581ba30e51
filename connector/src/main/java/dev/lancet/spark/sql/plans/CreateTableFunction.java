package dev.lancet.spark.sql.plans;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CREATE [OR REPLACE] TEMPORARY TABLE FUNCTION name USING UDF 'class' [OPTIONS (...)]}: a
 * short name, for this session, for a 1:N UDF with its options, used as {@code
 * lancet_explode('class', ...)} is.
 */
public final class CreateTableFunction extends LancetCommand {
  /** The row the statement returns. */
  public static final StructType OUTPUT_SCHEMA =
      new StructType()
          .add("function", DataTypes.StringType, false)
          .add("udf_class", DataTypes.StringType, false)
          .add("columns", DataTypes.StringType, false);

  private final String name;
  private final String udfClass;
  private final Map<String, String> options;
  private final boolean replace;

  public CreateTableFunction(
      String name, String udfClass, Map<String, String> options, boolean replace) {
    super(List.of(), OUTPUT_SCHEMA);
    this.name = name;
    this.udfClass = udfClass;
    this.options = Map.copyOf(options);
    this.replace = replace;
  }

  public String name() {
    return name;
  }

  public String udfClass() {
    return udfClass;
  }

  public Map<String, String> options() {
    return options;
  }

  /** Whether an existing function of that name is replaced (OR REPLACE). */
  public boolean replace() {
    return replace;
  }

  @Override
  protected List<Object> fields() {
    return List.of(name, udfClass, options, replace);
  }
}
