package dev.lancet.udf.internal;

import dev.lancet.udf.Input;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfKind;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The shape of a UDF class: its single public {@code call} method, what kind that makes it, its
 * input parameters (an allocator parameter is not an input) and how to construct it.
 *
 * @param udfClass the class
 * @param call its call method
 * @param kind scalar, batched or record-batch
 * @param inputParameters the parameters that receive columns, in order
 * @param allocatorIndex index of a {@code BufferAllocator} parameter, or -1
 * @param optionsConstructor whether it takes a {@code Map<String, String>} of options
 * @param setup its public no-argument {@code setup()} method, or null
 */
public record UdfSignature(
    Class<?> udfClass,
    Method call,
    UdfKind kind,
    List<Parameter> inputParameters,
    int allocatorIndex,
    boolean optionsConstructor,
    Method setup) {

  public static UdfSignature of(Class<?> c) {
    String name = c.getName();
    if (!Modifier.isPublic(c.getModifiers())
        || c.isInterface()
        || Modifier.isAbstract(c.getModifiers())
        || (c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers()))) {
      throw new UdfException(
          "UDF " + name + " must be a public, concrete, top-level or static nested class");
    }
    Method[] calls =
        Arrays.stream(c.getMethods())
            .filter(
                m ->
                    m.getName().equals("call")
                        && !m.isBridge()
                        && !m.isSynthetic()
                        && !Modifier.isStatic(m.getModifiers()))
            .toArray(Method[]::new);
    if (calls.length == 0) {
      throw new UdfException("UDF " + name + " has no public 'call' method");
    }
    if (calls.length > 1) {
      throw new UdfException(
          "UDF "
              + name
              + " has "
              + calls.length
              + " public 'call' methods; it must have exactly one");
    }
    Method call = calls[0];
    Parameter[] params = call.getParameters();
    List<Parameter> inputs = new ArrayList<>();
    int allocator = -1;
    int vectors = 0;
    for (int i = 0; i < params.length; i++) {
      Class<?> t = params[i].getType();
      if (BufferAllocator.class.isAssignableFrom(t)) {
        allocator = i;
      } else {
        inputs.add(params[i]);
        if (ValueVector.class.isAssignableFrom(t) || t == VectorSchemaRoot.class) {
          vectors++;
        }
      }
    }
    UdfKind kind;
    if (inputs.size() == 1 && inputs.get(0).getType() == VectorSchemaRoot.class) {
      kind = UdfKind.RECORD_BATCH;
    } else if (vectors > 0) {
      if (vectors != inputs.size()) {
        throw new UdfException(
            "UDF "
                + name
                + ": call(...) mixes Arrow vectors and plain values; take all vectors"
                + " (a batched UDF) or no vectors (a scalar UDF)");
      }
      kind = UdfKind.BATCHED;
    } else {
      if (allocator >= 0) {
        throw new UdfException(
            "UDF " + name + ": only batched UDFs take a BufferAllocator parameter");
      }
      kind =
          java.util.concurrent.CompletionStage.class.isAssignableFrom(call.getReturnType())
              ? UdfKind.ASYNC
              : UdfKind.SCALAR;
    }
    if (kind != UdfKind.SCALAR
        && kind != UdfKind.ASYNC
        && !ValueVector.class.isAssignableFrom(call.getReturnType())) {
      throw new UdfException(
          "UDF "
              + name
              + ": a batched call(...) must return an Arrow vector, not "
              + call.getReturnType().getTypeName());
    }
    boolean options = constructor(c, Map.class) != null;
    if (!options && constructor(c) == null) {
      throw new UdfException(
          "UDF "
              + name
              + " needs a public constructor taking no arguments or a Map<String, String> of"
              + " options");
    }
    Method setup = null;
    try {
      Method m = c.getMethod("setup");
      if (!Modifier.isStatic(m.getModifiers())) {
        setup = m;
      }
    } catch (NoSuchMethodException e) {
      // setup() is optional
    }
    return new UdfSignature(c, call, kind, List.copyOf(inputs), allocator, options, setup);
  }

  /** Whether calls take row values (scalar and async UDFs), not vectors. */
  public boolean rowWise() {
    return kind == UdfKind.SCALAR || kind == UdfKind.ASYNC;
  }

  /**
   * The Java type of the values {@code call} produces: its return type, or for an async UDF the
   * type its {@code CompletionStage} completes with.
   */
  public java.lang.reflect.Type valueType() {
    java.lang.reflect.Type returned = call.getGenericReturnType();
    if (kind != UdfKind.ASYNC) {
      return returned;
    }
    if (returned instanceof java.lang.reflect.ParameterizedType p
        && p.getActualTypeArguments().length == 1
        && !(p.getActualTypeArguments()[0] instanceof java.lang.reflect.WildcardType)
        && !(p.getActualTypeArguments()[0] instanceof java.lang.reflect.TypeVariable)) {
      return p.getActualTypeArguments()[0];
    }
    throw new UdfException(
        "UDF "
            + udfClass.getName()
            + ": call(...) returns "
            + returned.getTypeName()
            + "; name the value it completes with, e.g. CompletableFuture<Long>");
  }

  /** The column each input parameter reads: its {@link Input} name, else its parameter name. */
  public List<String> parameterColumns() {
    List<String> columns = new ArrayList<>();
    for (Parameter p : inputParameters) {
      Input input = p.getAnnotation(Input.class);
      if (input != null) {
        columns.add(input.value());
      } else if (p.isNamePresent()) {
        columns.add(p.getName());
      } else {
        throw new UdfException(
            "UDF "
                + udfClass.getName()
                + ": parameter names of call(...) are not in the class file; list its input"
                + " columns (INPUTS (a, b) in ADD COLUMN), compile it with 'javac -parameters', or"
                + " name each input with @Input(\"column\")");
      }
    }
    return columns;
  }

  private static Constructor<?> constructor(Class<?> c, Class<?>... types) {
    try {
      Constructor<?> k = c.getConstructor(types);
      return Modifier.isPublic(k.getModifiers()) ? k : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
