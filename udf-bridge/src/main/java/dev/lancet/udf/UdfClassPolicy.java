package dev.lancet.udf;

import java.util.Arrays;
import java.util.List;

/**
 * Which UDF classes may be loaded at all: {@code lancet.udf.allowed-packages}, a comma-separated
 * list of package prefixes (JVM property {@value #PROPERTY}, or Spark conf {@code
 * spark.lancet.udf.allowed-packages}). When it is set, a class outside every prefix is refused
 * before it is loaded, so none of its code (not even a static initializer) runs.
 *
 * @param allowedPrefixes package prefixes such as {@code com.acme.features}; empty allows every
 *     class
 */
public record UdfClassPolicy(List<String> allowedPrefixes) {
  /** The JVM system property that sets the policy. */
  public static final String PROPERTY = "lancet.udf.allowed-packages";

  /** Any class may be loaded. */
  public static final UdfClassPolicy ANY = new UdfClassPolicy(List.of());

  public UdfClassPolicy {
    allowedPrefixes = List.copyOf(allowedPrefixes);
  }

  /**
   * Parses a comma-separated prefix list; {@code com.acme}, {@code com.acme.} and {@code
   * com.acme.*} all mean the package {@code com.acme} and its subpackages. Blank or null allows
   * every class.
   */
  public static UdfClassPolicy parse(String csv) {
    if (csv == null || csv.isBlank()) {
      return ANY;
    }
    List<String> prefixes =
        Arrays.stream(csv.split(","))
            .map(String::strip)
            .filter(p -> !p.isEmpty())
            .map(p -> p.endsWith(".*") ? p.substring(0, p.length() - 2) : p)
            .map(p -> p.endsWith(".") ? p.substring(0, p.length() - 1) : p)
            .toList();
    for (String p : prefixes) {
      if (!p.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
        throw new UdfException(
            ErrorCode.LANCET_INVALID_OPTION,
            PROPERTY + ": '" + p + "' is not a package name (expected e.g. com.acme.features)");
      }
    }
    return new UdfClassPolicy(prefixes);
  }

  /** The policy of this JVM's {@value #PROPERTY} property. */
  public static UdfClassPolicy fromSystemProperty() {
    return parse(System.getProperty(PROPERTY));
  }

  /** Whether {@code className} may be loaded. */
  public boolean allows(String className) {
    if (allowedPrefixes.isEmpty()) {
      return true;
    }
    for (String prefix : allowedPrefixes) {
      if (className.startsWith(prefix + ".")) {
        return true;
      }
    }
    return false;
  }

  /** Fails, naming the class and the allowed packages, unless {@code className} may be loaded. */
  public void check(String className) {
    if (!allows(className)) {
      throw new UdfException(
          ErrorCode.LANCET_UDF_NOT_ALLOWED,
          "UDF class '"
              + className
              + "' is outside "
              + PROPERTY
              + " "
              + String.join(", ", allowedPrefixes)
              + "; it was not loaded");
    }
  }

  /**
   * Checks the policy, then loads the class without initializing it (see {@link
   * UdfInspector#loadClass}).
   */
  public Class<?> load(String className, ClassLoader loader) {
    check(className);
    return UdfInspector.loadClass(className, loader);
  }

  @Override
  public String toString() {
    return allowedPrefixes.isEmpty() ? "any package" : String.join(",", allowedPrefixes);
  }
}
