package dev.lancet.udf;

import dev.lancet.udf.internal.InputTypes;
import dev.lancet.udf.internal.ScalarColumnUdf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Creates runnable {@link ColumnUdf}s from specs. */
public final class ColumnUdfs {
  private ColumnUdfs() {}

  /**
   * Checks, before anything runs, that every input column of the spec is in {@code schema} with a
   * type the UDF's parameter accepts. Fails naming the column, its type and the parameter.
   */
  public static void checkInputs(UdfSpec spec, Schema schema, ClassLoader loader) {
    Method call = UdfInspector.callMethod(UdfInspector.loadClass(spec.className(), loader));
    Class<?>[] types = call.getParameterTypes();
    try (BufferAllocator empty = new RootAllocator(0)) {
      for (int i = 0; i < types.length; i++) {
        String column = spec.inputs().get(i);
        Field field = schema.getFields().stream().filter(f -> f.getName().equals(column)).findFirst()
            .orElseThrow(() -> new UdfException("UDF " + spec.className() + " needs input column '" + column
                + "', which is not in the table; its columns are "
                + schema.getFields().stream().map(Field::getName).toList()));
        // An empty vector allocates nothing; building its reader is the exact compatibility check.
        try (FieldVector probe = field.createVector(empty)) {
          InputTypes.check(probe, types[i], "UDF " + spec.className() + " parameter " + (i + 1) + " (" + column + ")");
        }
      }
    }
  }

  /**
   * Loads the spec's class from {@code loader}, checks it still matches the spec (inputs and
   * output type) and creates one instance.
   */
  public static ColumnUdf instantiate(UdfSpec spec, ClassLoader loader) {
    Class<?> udfClass = UdfInspector.loadClass(spec.className(), loader);
    UdfSpec current = UdfInspector.inspect(udfClass, spec.options());
    if (current.inputs().size() != spec.inputs().size()) {
      throw new UdfException("UDF " + spec.className() + " now takes " + current.inputs().size()
          + " inputs but the column was registered with " + spec.inputs().size() + " " + spec.inputs()
          + "; register it again with ALTER TABLE ... ADD COLUMN");
    }
    if (!current.outputType().equals(spec.outputType())) {
      throw new UdfException("UDF " + spec.className() + " now returns " + current.outputType()
          + " but the column was registered as " + spec.outputType());
    }
    Method call = UdfInspector.callMethod(udfClass);
    Object instance;
    try {
      instance = udfClass.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new UdfException("UDF " + spec.className() + ": constructor threw " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new UdfException("UDF " + spec.className() + ": cannot create an instance: " + e, e);
    }
    return new ScalarColumnUdf(spec, instance, call);
  }
}
