package dev.lancet.udf;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Which UDF classes may be loaded at all: {@code lancet.udf.allowed-packages}, a comma-separated
 * list of package prefixes (JVM property {@value #PROPERTY}, or Spark conf {@code
 * spark.lancet.udf.allowed-packages}). When it is set, a class outside every prefix is refused
 * before it is loaded, so none of its code (not even a static initializer) runs.
 *
 * <p>With {@code lancet.udf.allowed-jars} (JVM property {@value #JARS_PROPERTY}, or Spark conf
 * {@code spark.lancet.udf.allowed-jars}), a comma-separated list of SHA-256 checksums, a column's
 * pinned jar outside the list is refused before any of its classes is loaded: a table's code is
 * then only what its operators approved, whoever wrote its registration.
 *
 * @param allowedPrefixes package prefixes such as {@code com.acme.features}; empty allows every
 *     class
 * @param allowedJars SHA-256 checksums of the jars pinned code may hold; empty allows every jar
 */
public record UdfClassPolicy(List<String> allowedPrefixes, Set<String> allowedJars) {
  /** The JVM system property that sets the policy. */
  public static final String PROPERTY = "lancet.udf.allowed-packages";

  /** The JVM system property that sets the allowed jars. */
  public static final String JARS_PROPERTY = "lancet.udf.allowed-jars";

  /** Any class may be loaded. */
  public static final UdfClassPolicy ANY = new UdfClassPolicy(List.of(), Set.of());

  public UdfClassPolicy {
    allowedPrefixes = List.copyOf(allowedPrefixes);
    allowedJars = allowedJars == null ? Set.of() : Set.copyOf(allowedJars);
  }

  /** A policy of packages only. */
  public UdfClassPolicy(List<String> allowedPrefixes) {
    this(allowedPrefixes, Set.of());
  }

  /** {@link #parse(String)} of the packages, with the allowed jars' checksums (comma-separated). */
  public static UdfClassPolicy parse(String packagesCsv, String jarsCsv) {
    UdfClassPolicy packages = parse(packagesCsv);
    if (jarsCsv == null || jarsCsv.isBlank()) {
      return packages;
    }
    Set<String> jars = new java.util.TreeSet<>();
    for (String sha : jarsCsv.split(",")) {
      String s = sha.strip().toLowerCase(java.util.Locale.ROOT);
      if (s.startsWith("sha256:")) {
        s = s.substring("sha256:".length());
      }
      if (s.isEmpty()) {
        continue;
      }
      if (!s.matches("[0-9a-f]{64}")) {
        throw new UdfException(
            ErrorCode.LANCET_INVALID_OPTION,
            JARS_PROPERTY + ": '" + sha.strip() + "' is not a SHA-256 checksum (64 hex digits)");
      }
      jars.add(s);
    }
    return new UdfClassPolicy(packages.allowedPrefixes(), jars);
  }

  /**
   * Fails before any class of them is loaded, naming the first jar outside {@code
   * lancet.udf.allowed-jars} when that is set.
   */
  public void checkJars(List<PinnedJar> jars) {
    if (allowedJars.isEmpty()) {
      return;
    }
    for (PinnedJar jar : jars) {
      if (!allowedJars.contains(jar.sha256())) {
        throw new UdfException(
            ErrorCode.LANCET_UDF_NOT_ALLOWED,
            "UDF jar "
                + jar.name()
                + " (sha256 "
                + jar.sha256()
                + ") is outside "
                + JARS_PROPERTY
                + "; none of its classes was loaded");
      }
    }
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

  /** The policy of this JVM's {@value #PROPERTY} and {@value #JARS_PROPERTY} properties. */
  public static UdfClassPolicy fromSystemProperty() {
    return parse(System.getProperty(PROPERTY), System.getProperty(JARS_PROPERTY));
  }

  /**
   * Lancet's own UDF classes, always allowed: the one that evaluates SQL-expression columns runs
   * Spark's built-in functions only.
   */
  public static final Set<String> BUILT_IN =
      Set.of("dev.lancet.spark.expressions.SqlExpressionUdf", "dev.lancet.spark.load.KeyLookupUdf");

  /**
   * The prefix of the options a built-in UDF's instance is given on a worker beyond its column's:
   * the table's storage options, each key under it (the column of loaded columns reads a copy
   * staged in the table's store). Never stored with the column, and never given to a user's UDF.
   */
  public static final String TABLE_STORAGE_OPTION = "lancet.table-storage.";

  /** Whether {@code className} may be loaded. */
  public boolean allows(String className) {
    if (allowedPrefixes.isEmpty() || BUILT_IN.contains(className)) {
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
