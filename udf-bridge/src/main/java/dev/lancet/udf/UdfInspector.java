package dev.lancet.udf;

import dev.lancet.udf.internal.UdfSignature;
import dev.lancet.udf.internal.VectorClasses;
import dev.lancet.udf.types.JavaTypes;
import dev.lancet.udf.types.LancetType;
import dev.lancet.udf.types.TypeStrings;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns a UDF class and a registration into its {@link UdfSpec}: the kind from the {@code call}
 * signature, input columns from parameter names ({@link Input} overrides, INPUTS overrides both),
 * the output type from the return type or the declared type. Every problem is reported here, before
 * anything runs, naming the class and the parameter.
 */
public final class UdfInspector {
  private UdfInspector() {}

  /** Loads {@code className} from {@code loader} and inspects it. */
  public static UdfSpec inspect(
      String className, ClassLoader loader, UdfRegistration registration) {
    return inspect(loadClass(className, loader), registration);
  }

  /** Inspects a UDF class with default settings and the given UDF options. */
  public static UdfSpec inspect(Class<?> udfClass, Map<String, String> options) {
    return inspect(udfClass, UdfRegistration.DEFAULT.withOptions(options));
  }

  /** Inspects a UDF class reading {@code inputs} (null: from its parameters). */
  public static UdfSpec inspect(
      Class<?> udfClass, Map<String, String> options, List<String> inputs) {
    return inspect(udfClass, UdfRegistration.of(inputs, options));
  }

  /** The parameters' columns and a space, or nothing when the class file has no names. */
  private static String parameterList(UdfSignature sig) {
    try {
      return sig.parameterColumns() + " ";
    } catch (UdfException noNames) {
      return "";
    }
  }

  /** Inspects a UDF class under a registration. */
  public static UdfSpec inspect(Class<?> udfClass, UdfRegistration reg) {
    UdfSignature sig = UdfSignature.of(udfClass);
    String name = udfClass.getName();
    Udf ann = udfClass.getAnnotation(Udf.class);
    OptionKeys.check(
        name,
        reg.options().keySet(),
        sig.optionsConstructor(),
        ann == null ? List.of() : List.of(ann.options()));

    List<String> inputs;
    if (sig.kind() == UdfKind.RECORD_BATCH) {
      // Empty means every column of the table; VirtualColumns resolves it against the schema.
      inputs =
          reg.inputs() != null
              ? reg.inputs()
              : ann != null ? Arrays.asList(ann.inputs()) : List.of();
    } else {
      for (Parameter p : sig.inputParameters()) {
        Type t = p.getParameterizedType();
        if (sig.rowWise() && t != BigDecimal.class) {
          JavaTypes.infer(t, "UDF " + name + ": parameter '" + p.getName() + "'");
        }
      }
      // Parameter names are only needed when nothing else names the columns: a class compiled
      // without -parameters has none, and INPUTS or @Udf(inputs) is how its user names them.
      int parameters = sig.inputParameters().size();
      if (reg.inputs() != null) {
        if (reg.inputs().size() != parameters) {
          throw new UdfException(
              "UDF "
                  + name
                  + " takes "
                  + parameters
                  + " input(s) "
                  + parameterList(sig)
                  + "but INPUTS names "
                  + reg.inputs().size()
                  + " "
                  + reg.inputs());
        }
        inputs = reg.inputs();
      } else if (ann != null && ann.inputs().length > 0) {
        if (ann.inputs().length != parameters) {
          throw new UdfException(
              "UDF "
                  + name
                  + ": @Udf(inputs) names "
                  + ann.inputs().length
                  + " columns for "
                  + parameters
                  + " parameters");
        }
        inputs = Arrays.asList(ann.inputs());
      } else {
        inputs = sig.parameterColumns();
      }
    }

    String declared =
        reg.declaredType() != null
            ? reg.declaredType()
            : ann != null && !ann.type().isBlank() ? TypeStrings.canonical(ann.type()) : null;
    String outputType = outputType(sig, declared, name);

    if (ann != null) {
      checkAnnotation(ann);
    }
    int batchSize = reg.batchSize() != null ? reg.batchSize() : ann != null ? ann.batchSize() : 0;
    UdfResources resources =
        new UdfResources(
            reg.numCpus() != null ? reg.numCpus() : ann != null ? ann.numCpus() : 1,
            reg.numGpus() != null ? reg.numGpus() : ann != null ? ann.numGpus() : 0,
            reg.memoryBytes() != null ? reg.memoryBytes() : ann != null ? ann.memory() : 0);
    OnError onError =
        reg.onError() != null
            ? reg.onError()
            : (OnError) LancetOption.ON_ERROR.parse(ann != null ? ann.onError() : "fail", "@Udf ");
    ErrorPolicy policy =
        new ErrorPolicy(
            onError,
            reg.maxErrorFraction() != null
                ? reg.maxErrorFraction()
                : ann != null ? ann.maxErrorFraction() : 0.1,
            reg.retry(),
            reg.timeoutMillis() != null ? reg.timeoutMillis() : 0);
    if (policy.timeoutMillis() > 0 && !sig.rowWise()) {
      throw new UdfException(
          "UDF "
              + name
              + ": timeout_ms applies to scalar and async UDFs (one call per row); a "
              + sig.kind()
              + " UDF can time its own calls");
    }
    if (reg.maxInFlight() != null && !sig.rowWise()) {
      throw new UdfException(
          "UDF "
              + name
              + ": max_in_flight applies to scalar and async UDFs (one call per row); a "
              + sig.kind()
              + " UDF gets a whole batch at once");
    }
    boolean nullable = ann == null || ann.nullable();
    return new UdfSpec(
        name,
        sig.kind(),
        inputs,
        outputType,
        nullable,
        reg.options(),
        batchSize > 0 ? batchSize : null,
        reg.maxInFlight(),
        resources,
        policy,
        CodeIdentity.of(udfClass),
        List.of());
  }

  private static String outputType(UdfSignature sig, String declared, String name) {
    if (sig.rowWise()) {
      Type returnType = sig.valueType();
      if (declared == null) {
        return JavaTypes.infer(returnType, "UDF " + name + ": call(...) return value").toString();
      }
      if (!JavaTypes.matches(TypeStrings.parse(declared), returnType)) {
        throw new UdfException(
            "UDF "
                + name
                + ": call(...) returns "
                + returnType.getTypeName()
                + ", which cannot produce the declared type "
                + declared);
      }
      return declared;
    }
    if (declared == null) {
      throw new UdfException(
          "UDF "
              + name
              + " returns an Arrow vector, so it must declare its output type:"
              + " @Udf(type = \"int\") on the class, or a type in ADD COLUMN");
    }
    LancetType type = TypeStrings.parse(declared);
    Class<?> stored = VectorClasses.of(type.toField("probe", true));
    if (!sig.call().getReturnType().isAssignableFrom(stored)) {
      throw new UdfException(
          "UDF "
              + name
              + ": call(...) returns "
              + sig.call().getReturnType().getSimpleName()
              + " but the declared type "
              + declared
              + " is stored in a "
              + stored.getSimpleName());
    }
    return declared;
  }

  /**
   * Loads a UDF class or fails with a message naming it, or naming the class it needs that is
   * missing (a superclass or an interface: a Spark UDF interface where Spark's classes are not).
   */
  public static Class<?> loadClass(String className, ClassLoader loader) {
    try {
      return Class.forName(className, false, loader);
    } catch (ClassNotFoundException e) {
      throw new UdfException(
          ErrorCode.LANCET_UDF_NOT_FOUND,
          "UDF class '" + className + "' was not found on the classpath");
    } catch (NoClassDefFoundError e) {
      throw new UdfException(
          ErrorCode.LANCET_UDF_NOT_FOUND, missingDependency(className, e.getMessage()));
    }
  }

  /** The message for a UDF class found whose class {@code missing} ("a/b/C" or "a.b.C") is not. */
  static String missingDependency(String className, String missing) {
    String name = missing == null ? "?" : missing.replace('/', '.');
    if (name.equals(className)) {
      return "UDF class '" + className + "' was not found on the classpath";
    }
    String message =
        "UDF class '" + className + "' needs class '" + name + "', which is not on the classpath";
    if (name.startsWith("org.apache.spark.")) {
      message +=
          "; a Spark UDF (UDF1 ... UDF22) needs Spark's classes where it runs: run it with"
              + " engine = 'spark' (Spark's executors) or Ray in the driver's JVM, or ship"
              + " spark-sql-api's jar with the UDF";
    }
    return message;
  }

  /** The class's {@code @Udf} settings pass the checks their options pass (0 batch size: unset). */
  private static void checkAnnotation(Udf ann) {
    if (ann.batchSize() != 0) {
      LancetOption.BATCH_SIZE.check(ann.batchSize(), "@Udf ");
    }
    LancetOption.NUM_CPUS.check(ann.numCpus(), "@Udf ");
    LancetOption.NUM_GPUS.check(ann.numGpus(), "@Udf ");
    LancetOption.MEMORY.check(ann.memory(), "@Udf ");
    LancetOption.MAX_ERROR_FRACTION.check(ann.maxErrorFraction(), "@Udf ");
  }
}
