package dev.lancet.udf.internal;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.codehaus.janino.SimpleCompiler;

/**
 * Generates and compiles (with Janino) a {@link ScalarKernel} specialised to one UDF signature and
 * the concrete input vector classes: a plain loop that reads primitives from the vectors, calls
 * {@code call(...)} directly and writes the result, so the JIT sees no reflection and no boxing for
 * primitive signatures. Signatures outside {@link #supports} use {@link CodecKernel}.
 */
final class KernelCompiler {
  private KernelCompiler() {}

  /** Vector class, the primitive it reads as, and the expression reading row i of vector v. */
  private record VectorKind(String primitive, String read) {}

  private static final Map<Class<?>, VectorKind> VECTORS =
      Map.of(
          IntVector.class, new VectorKind("int", "%s.get(i)"),
          BigIntVector.class, new VectorKind("long", "%s.get(i)"),
          SmallIntVector.class, new VectorKind("short", "%s.get(i)"),
          TinyIntVector.class, new VectorKind("byte", "%s.get(i)"),
          Float4Vector.class, new VectorKind("float", "%s.get(i)"),
          Float8Vector.class, new VectorKind("double", "%s.get(i)"),
          BitVector.class, new VectorKind("boolean", "(%s.get(i) != 0)"),
          VarCharVector.class,
              new VectorKind(
                  "String", "new String(%s.get(i), java.nio.charset.StandardCharsets.UTF_8)"),
          VarBinaryVector.class, new VectorKind("byte[]", "%s.get(i)"));

  /**
   * A fixed-width vector's value width, the expression reading the value at address %s, and the
   * statement writing value %2$s at address %1$s (as the vector's {@code get} and {@code set} do).
   */
  private record FixedWidth(int width, String read, String write) {}

  private static final String MEMORY = "org.apache.arrow.memory.util.MemoryUtil.";

  private static final Map<Class<?>, FixedWidth> FIXED =
      Map.of(
          IntVector.class,
          new FixedWidth(4, MEMORY + "getInt(%s)", MEMORY + "putInt(%s, (int) %s);"),
          BigIntVector.class,
          new FixedWidth(8, MEMORY + "getLong(%s)", MEMORY + "putLong(%s, (long) %s);"),
          SmallIntVector.class,
          new FixedWidth(2, MEMORY + "getShort(%s)", MEMORY + "putShort(%s, (short) %s);"),
          TinyIntVector.class,
          new FixedWidth(1, MEMORY + "getByte(%s)", MEMORY + "putByte(%s, (byte) %s);"),
          Float4Vector.class,
          new FixedWidth(
              4,
              "Float.intBitsToFloat(" + MEMORY + "getInt(%s))",
              MEMORY + "putInt(%s, Float.floatToRawIntBits((float) %s));"),
          Float8Vector.class,
          new FixedWidth(
              8,
              "Double.longBitsToDouble(" + MEMORY + "getLong(%s))",
              MEMORY + "putLong(%s, Double.doubleToRawLongBits((double) %s));"));

  private static final Map<Class<?>, String> BOX_TO_PRIMITIVE =
      Map.of(
          Integer.class,
          "int",
          Long.class,
          "long",
          Short.class,
          "short",
          Byte.class,
          "byte",
          Float.class,
          "float",
          Double.class,
          "double",
          Boolean.class,
          "boolean");

  /**
   * Kernels by UDF class, then by method and vector classes. Kernels hold no state (the UDF
   * instance is passed in), so one per signature serves every instance and every backfill of the
   * JVM: no second Janino compile, and the JIT keeps the loop it has already optimised. Kept with
   * the UDF's class ({@link ClassValue}), so they go when its class loader does: a static map would
   * pin every user jar's loader for the JVM's life.
   */
  private static final ClassValue<Map<List<Object>, Optional<ScalarKernel>>> CACHE =
      new ClassValue<>() {
        @Override
        protected Map<List<Object>, Optional<ScalarKernel>> computeValue(Class<?> udfClass) {
          return new java.util.concurrent.ConcurrentHashMap<>();
        }
      };

  /** A compiled kernel for these input vectors, or empty when the signature is not supported. */
  static Optional<ScalarKernel> compile(Method call, ValueVector[] inputs, ValueVector output) {
    List<Object> key = new java.util.ArrayList<>();
    key.add(call);
    key.add(output.getClass());
    for (ValueVector v : inputs) {
      key.add(v.getClass());
    }
    return CACHE
        .get(call.getDeclaringClass())
        .computeIfAbsent(List.copyOf(key), k -> generate(call, inputs, output));
  }

  private static Optional<ScalarKernel> generate(
      Method call, ValueVector[] inputs, ValueVector output) {
    Class<?>[] params = call.getParameterTypes();
    if (!VECTORS.containsKey(output.getClass()) || !isSimple(call.getReturnType())) {
      return Optional.empty();
    }
    for (int k = 0; k < params.length; k++) {
      if (!VECTORS.containsKey(inputs[k].getClass()) || !isSimple(params[k])) {
        return Optional.empty();
      }
    }
    String source = source(call, inputs, output);
    try {
      SimpleCompiler compiler = new SimpleCompiler();
      compiler.setParentClassLoader(call.getDeclaringClass().getClassLoader());
      compiler.cook(source);
      Class<?> kernel = compiler.getClassLoader().loadClass("dev.lancet.udf.generated.Kernel");
      return Optional.of((ScalarKernel) kernel.getConstructor().newInstance());
    } catch (Exception | LinkageError e) {
      // A signature Janino cannot express (or a class it cannot see): the general path still works.
      return Optional.empty();
    }
  }

  private static boolean isSimple(Class<?> c) {
    return c.isPrimitive() && c != void.class && c != char.class
        || BOX_TO_PRIMITIVE.containsKey(c)
        || c == String.class
        || c == byte[].class;
  }

  /** Whether every input and the output are fixed-width primitives, read and written by address. */
  private static boolean uncheckable(
      Class<?>[] params, ValueVector[] inputs, Class<?> ret, ValueVector output) {
    if (!ret.isPrimitive() || !FIXED.containsKey(output.getClass())) {
      return false;
    }
    for (int k = 0; k < params.length; k++) {
      if (!params[k].isPrimitive() || !FIXED.containsKey(inputs[k].getClass())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The loop without Arrow's per-row checks, taken when the batch's buffers hold its rows (checked
   * once): the same reads, null rule, call, failure handling and writes as the checked loop after
   * it, which runs otherwise.
   */
  private static void uncheckedLoop(
      StringBuilder s, Class<?>[] params, ValueVector[] inputs, Class<?> ret, ValueVector output) {
    String u = UncheckedVectors.class.getName() + ".";
    FixedWidth outWidth = FIXED.get(output.getClass());
    s.append("    if (").append(u).append("covers(out, rows, ").append(outWidth.width).append(")");
    for (int k = 0; k < params.length; k++) {
      s.append(" && ")
          .append(u)
          .append("covers(in")
          .append(k)
          .append(", rows, ")
          .append(FIXED.get(inputs[k].getClass()).width)
          .append(")");
    }
    s.append(") {\n");
    for (int k = 0; k < params.length; k++) {
      s.append("      long d").append(k).append(" = ").append(u).append("data(in").append(k);
      s.append("), v").append(k).append(" = ").append(u).append("validity(in").append(k);
      s.append(");\n");
    }
    s.append("      long od = ").append(u).append("data(out), ov = ");
    s.append(u).append("validity(out);\n");
    s.append("      for (int i = 0; i < rows; i++) {\n");
    StringBuilder nullCheck = new StringBuilder();
    StringBuilder reads = new StringBuilder();
    StringBuilder args = new StringBuilder();
    for (int k = 0; k < params.length; k++) {
      nullCheck.append(k == 0 ? "" : " || ").append(u).append("isNull(v").append(k).append(", i)");
      FixedWidth in = FIXED.get(inputs[k].getClass());
      String address = "d" + k + " + (long) i * " + in.width;
      reads
          .append("        ")
          .append(params[k].getName())
          .append(" a")
          .append(k)
          .append(" = (")
          .append(params[k].getName())
          .append(") ")
          .append(String.format(in.read, address))
          .append(";\n");
      args.append(k == 0 ? "" : ", ").append("a").append(k);
    }
    if (nullCheck.length() > 0) {
      s.append("        if (").append(nullCheck).append(") { out.setNull(i); continue; }\n");
    }
    s.append(reads);
    s.append("        ").append(ret.getName()).append(" r;\n");
    s.append("        try { r = udf.call(").append(args).append("); }\n");
    s.append("        catch (Throwable t) { ctx.failed(i, in, out, t); continue; }\n");
    s.append("        ")
        .append(String.format(outWidth.write, "od + (long) i * " + outWidth.width, "r"))
        .append("\n");
    s.append("        ").append(u).append("setValid(ov, i);\n");
    s.append("      }\n      return;\n    }\n");
  }

  static String source(Method call, ValueVector[] inputs, ValueVector output) {
    Class<?>[] params = call.getParameterTypes();
    Class<?> ret = call.getReturnType();
    String udfType = call.getDeclaringClass().getCanonicalName();
    StringBuilder s = new StringBuilder();
    s.append("package dev.lancet.udf.generated;\n")
        .append("public final class Kernel implements dev.lancet.udf.internal.ScalarKernel {\n")
        .append(
            "  public void run(dev.lancet.udf.internal.KernelContext ctx,"
                + " org.apache.arrow.vector.ValueVector[] in,")
        .append(" org.apache.arrow.vector.ValueVector outVector, int rows) {\n")
        .append("    ")
        .append(udfType)
        .append(" udf = (")
        .append(udfType)
        .append(") ctx.udf;\n");
    for (int k = 0; k < params.length; k++) {
      String vc = inputs[k].getClass().getName();
      s.append("    ")
          .append(vc)
          .append(" in")
          .append(k)
          .append(" = (")
          .append(vc)
          .append(") in[")
          .append(k)
          .append("];\n");
    }
    String oc = output.getClass().getName();
    s.append("    ").append(oc).append(" out = (").append(oc).append(") outVector;\n");
    if (uncheckable(params, inputs, ret, output)) {
      uncheckedLoop(s, params, inputs, ret, output);
    }
    s.append("    for (int i = 0; i < rows; i++) {\n");
    StringBuilder nullCheck = new StringBuilder();
    for (int k = 0; k < params.length; k++) {
      if (params[k].isPrimitive()) {
        nullCheck
            .append(nullCheck.length() == 0 ? "" : " || ")
            .append("in")
            .append(k)
            .append(".isNull(i)");
      }
    }
    if (nullCheck.length() > 0) {
      // A null input for a primitive parameter: null output, no call.
      s.append("      if (").append(nullCheck).append(") { out.setNull(i); continue; }\n");
    }
    StringBuilder args = new StringBuilder();
    for (int k = 0; k < params.length; k++) {
      VectorKind vk = VECTORS.get(inputs[k].getClass());
      String read = String.format(vk.read, "in" + k);
      String p = params[k].getCanonicalName();
      String expr;
      if (params[k].isPrimitive()) {
        expr = "(" + p + ") " + read;
      } else if (BOX_TO_PRIMITIVE.containsKey(params[k])) {
        expr =
            "in"
                + k
                + ".isNull(i) ? null : "
                + p
                + ".valueOf(("
                + BOX_TO_PRIMITIVE.get(params[k])
                + ") "
                + read
                + ")";
      } else {
        expr = "in" + k + ".isNull(i) ? null : " + read;
      }
      s.append("      ").append(p).append(" a").append(k).append(" = ").append(expr).append(";\n");
      args.append(k == 0 ? "" : ", ").append("a").append(k);
    }
    String r = ret.getCanonicalName();
    s.append("      ")
        .append(r)
        .append(" r;\n")
        .append("      try { r = udf.call(")
        .append(args)
        .append("); }\n")
        .append("      catch (Throwable t) { ctx.failed(i, in, out, t); continue; }\n");
    VectorKind outKind = VECTORS.get(output.getClass());
    String value;
    if (ret.isPrimitive()) {
      value = "r";
    } else if (BOX_TO_PRIMITIVE.containsKey(ret)) {
      value = "r." + BOX_TO_PRIMITIVE.get(ret) + "Value()";
    } else {
      value = ret == String.class ? "r.getBytes(java.nio.charset.StandardCharsets.UTF_8)" : "r";
    }
    if (!ret.isPrimitive()) {
      s.append("      if (r == null) { out.setNull(i); continue; }\n");
    }
    if (outKind.primitive.equals("boolean")) {
      s.append("      out.set(i, ").append(value).append(" ? 1 : 0);\n");
    } else if (outKind.primitive.equals("String") || outKind.primitive.equals("byte[]")) {
      s.append("      out.setSafe(i, ").append(value).append(");\n");
    } else {
      s.append("      out.set(i, ").append(value).append(");\n");
    }
    s.append("    }\n  }\n}\n");
    return s.toString();
  }
}
