package dev.lancet.udf.internal;

import org.apache.arrow.vector.ValueVector;

/** Whether a column's vector can feed a UDF parameter: the same rule the runner applies. */
public final class InputTypes {
  private InputTypes() {}

  /** Fails with a message naming the column, its Arrow type and the parameter type. */
  public static void check(ValueVector vector, Class<?> parameterType, String where) {
    ValueReader.of(vector, parameterType, where);
  }
}
