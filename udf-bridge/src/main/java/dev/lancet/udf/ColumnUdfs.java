package dev.lancet.udf;

import dev.lancet.udf.internal.ScalarColumnUdf;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Creates runnable {@link ColumnUdf}s from specs. */
public final class ColumnUdfs {
  private ColumnUdfs() {}

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
