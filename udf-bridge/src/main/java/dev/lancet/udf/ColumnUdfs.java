package dev.lancet.udf;

import dev.lancet.udf.internal.AsyncColumnUdf;
import dev.lancet.udf.internal.BatchedColumnUdf;
import dev.lancet.udf.internal.ConcurrentScalarColumnUdf;
import dev.lancet.udf.internal.ScalarColumnUdf;
import dev.lancet.udf.internal.UdfSignature;
import dev.lancet.udf.internal.VectorClasses;
import dev.lancet.udf.types.JavaTypes;
import dev.lancet.udf.types.LancetType;
import dev.lancet.udf.types.TypeStrings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Creates runnable {@link ColumnUdf}s from specs, and checks specs against a table's schema. */
public final class ColumnUdfs {
  private ColumnUdfs() {}

  /**
   * Checks, before anything runs, that every input column of the spec is in {@code schema} with a
   * type the UDF's parameter accepts. Fails naming the column, its type and the parameter.
   */
  public static void checkInputs(UdfSpec spec, Schema schema, ClassLoader loader) {
    UdfSignature sig = UdfSignature.of(UdfInspector.loadClass(spec.className(), loader));
    for (int i = 0; i < spec.inputs().size(); i++) {
      String column = spec.inputs().get(i);
      Field field =
          schema.getFields().stream()
              .filter(f -> f.getName().equals(column))
              .findFirst()
              .orElseThrow(
                  () ->
                      new UdfException(
                          ErrorCode.LANCET_COLUMN_NOT_FOUND,
                          "UDF "
                              + spec.className()
                              + " needs input column '"
                              + column
                              + "', which is not in the table; its columns are "
                              + schema.getFields().stream().map(Field::getName).toList()));
      if (sig.kind() == UdfKind.RECORD_BATCH) {
        TypeStrings.of(field);
        continue;
      }
      Parameter p = sig.inputParameters().get(i);
      if (sig.rowWise()) {
        LancetType columnType = TypeStrings.of(field);
        if (!JavaTypes.acceptsInput(columnType, p.getParameterizedType())) {
          throw new UdfException(
              "UDF "
                  + spec.className()
                  + ": column '"
                  + column
                  + "' of type "
                  + columnType
                  + " cannot be passed to parameter '"
                  + p.getName()
                  + "' ("
                  + p.getParameterizedType().getTypeName()
                  + ")");
        }
      } else {
        Class<?> read = VectorClasses.of(field);
        if (!p.getType().isAssignableFrom(read)) {
          throw new UdfException(
              "UDF "
                  + spec.className()
                  + ": column '"
                  + column
                  + "' is read as a "
                  + read.getSimpleName()
                  + ", which cannot be passed to parameter '"
                  + p.getName()
                  + "' ("
                  + p.getType().getSimpleName()
                  + ")");
        }
      }
    }
  }

  /**
   * Creates one instance of the spec's class with its options and closes it, without {@code
   * setup()}: at registration, so that a constructor that fails (a bad option, a missing file)
   * fails the ADD COLUMN, not the first backfill.
   */
  public static void checkConstructs(UdfSpec spec, ClassLoader loader) {
    UdfSignature sig = UdfSignature.of(UdfInspector.loadClass(spec.className(), loader));
    closeQuietly(construct(sig, spec.options()));
  }

  /**
   * Loads the spec's class from {@code loader}, checks it still has the registered shape, creates
   * one instance (with the spec's options if it takes them) and runs its {@code setup()} once.
   */
  public static ColumnUdf instantiate(UdfSpec spec, ClassLoader loader) {
    Class<?> udfClass = UdfInspector.loadClass(spec.className(), loader);
    UdfSignature sig = UdfSignature.of(udfClass);
    if (sig.kind() != spec.kind()) {
      throw new UdfException(
          "UDF "
              + spec.className()
              + " is now a "
              + sig.kind()
              + " UDF but the column was registered as "
              + spec.kind()
              + "; register it again");
    }
    if (sig.kind() != UdfKind.RECORD_BATCH
        && sig.inputParameters().size() != spec.inputs().size()) {
      throw new UdfException(
          "UDF "
              + spec.className()
              + " now takes "
              + sig.inputParameters().size()
              + " inputs but the column was registered with "
              + spec.inputs().size()
              + " "
              + spec.inputs()
              + "; register it again");
    }
    if (sig.kind() == UdfKind.SCALAR && spec.callsInFlight() > 1) {
      // One instance per calling thread, so the UDF need not be thread-safe.
      List<Object> instances = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < spec.callsInFlight(); i++) {
          instances.add(setUp(spec, sig, construct(sig, spec.options())));
        }
      } catch (RuntimeException e) {
        instances.forEach(ColumnUdfs::closeQuietly);
        throw e;
      }
      return new ConcurrentScalarColumnUdf(spec, sig, instances);
    }
    Object instance = setUp(spec, sig, construct(sig, spec.options()));
    return switch (sig.kind()) {
      case SCALAR -> new ScalarColumnUdf(spec, sig, instance);
      case ASYNC -> new AsyncColumnUdf(spec, sig, instance);
      default -> new BatchedColumnUdf(spec, sig, instance);
    };
  }

  private static Object setUp(UdfSpec spec, UdfSignature sig, Object instance) {
    try {
      if (sig.setup() != null) {
        sig.setup().invoke(instance);
      }
      return instance;
    } catch (InvocationTargetException e) {
      throw new UdfException(
          ErrorCode.LANCET_UDF_FAILED,
          "UDF " + spec.className() + ": setup() threw " + e.getCause(),
          e.getCause());
    } catch (IllegalAccessException e) {
      throw new UdfException("UDF " + spec.className() + ": setup() is not accessible", e);
    }
  }

  private static void closeQuietly(Object instance) {
    if (instance instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // the first failure is the one reported
      }
    }
  }

  private static Object construct(UdfSignature sig, Map<String, String> options) {
    try {
      return sig.optionsConstructor()
          ? sig.udfClass().getConstructor(Map.class).newInstance(options)
          : sig.udfClass().getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new UdfException(
          ErrorCode.LANCET_UDF_FAILED,
          "UDF " + sig.udfClass().getName() + ": constructor threw " + e.getCause(),
          e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new UdfException(
          "UDF " + sig.udfClass().getName() + ": cannot create an instance: " + e, e);
    }
  }
}
