package dev.lancet.udf;

import dev.lancet.udf.types.JavaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns a UDF class into its {@link UdfSpec}: finds the {@code call} method, takes input columns
 * from its parameter names and the output type from its return type. Every problem is reported
 * before anything runs, naming the class and the parameter.
 */
public final class UdfInspector {
  private UdfInspector() {}

  /**
   * Loads {@code className} from {@code loader} and inspects it.
   *
   * @param inputs the input columns in parameter order, or null to use the parameter names
   */
  public static UdfSpec inspect(String className, ClassLoader loader, Map<String, String> options, List<String> inputs) {
    return inspect(loadClass(className, loader), options, inputs);
  }

  /** Inspects a UDF class whose parameter names are its input columns. */
  public static UdfSpec inspect(Class<?> udfClass, Map<String, String> options) {
    return inspect(udfClass, options, null);
  }

  /**
   * Inspects a UDF class.
   *
   * @param inputColumns the input columns in parameter order, or null to use the parameter names
   */
  public static UdfSpec inspect(Class<?> udfClass, Map<String, String> options, List<String> inputColumns) {
    Method call = callMethod(udfClass);
    requireNoArgConstructor(udfClass);
    List<String> inputs = new ArrayList<>();
    for (Parameter p : call.getParameters()) {
      if (!p.isNamePresent()) {
        throw new UdfException("UDF " + udfClass.getName() + ": parameter names of call(...) are not in the class file;"
            + " compile it with 'javac -parameters' so they can name the input columns");
      }
      if (JavaTypes.typeString(p.getType()).isEmpty()) {
        throw new UdfException("UDF " + udfClass.getName() + ": parameter '" + p.getName() + "' has type "
            + p.getType().getTypeName() + ", which is not supported; supported: " + JavaTypes.supported());
      }
      inputs.add(p.getName());
    }
    if (inputColumns != null) {
      if (inputColumns.size() != inputs.size()) {
        throw new UdfException("UDF " + udfClass.getName() + " takes " + inputs.size() + " input(s) " + inputs
            + " but INPUTS names " + inputColumns.size() + " " + inputColumns);
      }
      inputs = List.copyOf(inputColumns);
    }
    String outputType = JavaTypes.typeString(call.getReturnType())
        .orElseThrow(() -> new UdfException("UDF " + udfClass.getName() + ": call(...) returns "
            + call.getReturnType().getTypeName() + ", which is not supported; supported: " + JavaTypes.supported()));
    UdfSpec unversioned = new UdfSpec(udfClass.getName(), UdfKind.SCALAR, inputs, outputType, options, "");
    return new UdfSpec(udfClass.getName(), UdfKind.SCALAR, inputs, outputType, options, version(unversioned, udfClass));
  }

  /** Loads a UDF class or fails with a message naming it. */
  public static Class<?> loadClass(String className, ClassLoader loader) {
    try {
      return Class.forName(className, false, loader);
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      throw new UdfException("UDF class '" + className + "' was not found on the classpath");
    }
  }

  /** The single public {@code call} method of a UDF class. */
  static Method callMethod(Class<?> udfClass) {
    if (!Modifier.isPublic(udfClass.getModifiers()) || udfClass.isInterface() || Modifier.isAbstract(udfClass.getModifiers())) {
      throw new UdfException("UDF " + udfClass.getName() + " must be a public, concrete class");
    }
    Method[] calls = Arrays.stream(udfClass.getMethods())
        .filter(m -> m.getName().equals("call") && !m.isBridge() && !m.isSynthetic() && !Modifier.isStatic(m.getModifiers()))
        .toArray(Method[]::new);
    if (calls.length == 0) {
      throw new UdfException("UDF " + udfClass.getName() + " has no public 'call' method");
    }
    if (calls.length > 1) {
      throw new UdfException("UDF " + udfClass.getName() + " has " + calls.length + " public 'call' methods; it must have exactly one");
    }
    return calls[0];
  }

  private static void requireNoArgConstructor(Class<?> udfClass) {
    try {
      if (!Modifier.isPublic(udfClass.getConstructor().getModifiers())) {
        throw new NoSuchMethodException();
      }
    } catch (NoSuchMethodException e) {
      throw new UdfException("UDF " + udfClass.getName() + " needs a public no-argument constructor");
    }
  }

  /** Hash of the spec and of the class bytecode: a recompiled class with new logic is a new version. */
  private static String version(UdfSpec unversioned, Class<?> udfClass) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(unversioned.toJson().getBytes(StandardCharsets.UTF_8));
      sha.update(classBytes(udfClass));
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] classBytes(Class<?> c) {
    String resource = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
    try (InputStream in = c.getResourceAsStream(resource)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
