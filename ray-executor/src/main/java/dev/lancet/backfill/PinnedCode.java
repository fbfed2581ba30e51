package dev.lancet.backfill;

import dev.lancet.backfill.store.JarStore;
import dev.lancet.backfill.store.UdfCode;
import dev.lancet.backfill.store.UdfLoaders;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.CodeIdentity;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.PinnedJar;
import dev.lancet.udf.UdfClassPolicy;
import dev.lancet.udf.UdfSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A virtual column's code, pinned: at registration the session's jars (the UDF's jar and the jars
 * given with it) are published to the table's jar store under their checksums and recorded in the
 * column's spec; every backfill, wherever it runs and whatever jars its session has, runs exactly
 * that set, in a class loader of its own ({@link dev.lancet.udf.UdfClassLoader}: the set's jars
 * before the engine's, so the UDF's library versions win).
 */
public final class PinnedCode {
  private PinnedCode() {}

  /**
   * The code a column registered now runs: {@code jars} recorded in its spec, {@code loader} to
   * inspect and check the UDF with.
   *
   * @param jars the pinned jars; empty when the UDF's class is not in the session's jars (it is on
   *     the engine's class path)
   * @param loader the class loader of the pinned jars, or the session's loader when none
   */
  public record Pinned(List<PinnedJar> jars, ClassLoader loader) {}

  /**
   * Pins the jars {@code session} holds beyond the engine's class path for a UDF of {@code
   * className} registered on {@code table}: publishes them to the table's jar store and returns
   * them with their loader. Nothing is pinned when the class is not in one of them.
   */
  public static Pinned pin(TableLocation table, String className, ClassLoader session) {
    return pin(table, className, session, UdfClassPolicy.ANY);
  }

  /** {@link #pin(TableLocation, String, ClassLoader)}, refusing jars outside {@code policy}. */
  public static Pinned pin(
      TableLocation table, String className, ClassLoader session, UdfClassPolicy policy) {
    List<Path> jars = UdfCode.userJars(session).stream().filter(j -> !isEngineJar(j)).toList();
    return jars.isEmpty()
        ? new Pinned(List.of(), session)
        : pin(table, className, jars, session, false, policy);
  }

  /**
   * Pins {@code jars} (the UDF's jar and its dependencies, in class-path order, named by the user)
   * for a UDF of {@code className}: nothing else of the session's is in its loader. Fails in one
   * line when a jar is not a readable file.
   */
  public static Pinned pin(
      TableLocation table,
      String className,
      List<Path> jars,
      ClassLoader session,
      UdfClassPolicy policy) {
    return pin(table, className, jars, session, true, policy);
  }

  private static Pinned pin(
      TableLocation table,
      String className,
      List<Path> jars,
      ClassLoader session,
      boolean named,
      UdfClassPolicy policy) {
    for (Path jar : jars) {
      LancetException.check(
          java.nio.file.Files.isRegularFile(jar),
          ErrorCode.LANCET_PATH_NOT_FOUND,
          "JARS: %s does not exist or is not a file",
          jar);
    }
    // The loader reads copies under their checksums: replacing a session's file later (a rebuilt
    // jar) changes nothing this column runs.
    Map<PinnedJar, Path> files = new HashMap<>();
    List<PinnedJar> pinned =
        jars.stream()
            .map(
                j -> {
                  PinnedJar p = new PinnedJar(j.getFileName().toString(), CodeIdentity.sha256(j));
                  files.put(p, JarStore.cached(j, p.name(), p.sha256()));
                  return p;
                })
            .distinct()
            .toList();
    if (named) {
      policy.checkJars(pinned); // a session's other jars are pinned only if the class is in one
    }
    ClassLoader loader = UdfLoaders.of(pinned, files::get);
    Optional<Path> home;
    try {
      home = CodeIdentity.jarOf(Class.forName(className, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      notInNamedJars(named, className, pinned);
      return new Pinned(List.of(), session); // the inspection says what is wrong with the class
    }
    if (home.isEmpty() || !files.containsValue(home.get())) {
      notInNamedJars(named, className, pinned);
      return new Pinned(List.of(), session); // on the engine's class path: nothing to pin
    }
    policy.checkJars(pinned);
    JarStore.publish(table, jars);
    return new Pinned(pinned, loader);
  }

  /** A class JARS names jars for must be in them; the session's jars may miss it. */
  private static void notInNamedJars(boolean named, String className, List<PinnedJar> pinned) {
    LancetException.check(
        !named,
        ErrorCode.LANCET_UDF_NOT_FOUND,
        "UDF class %s is not in the jars JARS names (%s)",
        className,
        String.join(", ", pinned.stream().map(PinnedJar::name).toList()));
  }

  /**
   * The class loader a registered column's UDF runs in: its pinned jars (fetched from the table's
   * jar store once per JVM), or {@code fallback} for a column without pinned code.
   */
  public static ClassLoader loaderOf(TableLocation table, UdfSpec spec, ClassLoader fallback) {
    return spec.jars().isEmpty() ? fallback : UdfLoaders.of(table, spec.jars());
  }

  /**
   * The class loader of {@code jars} pinned in the jar store of {@code table} (fetched from it once
   * per JVM): code pinned outside a column's spec, such as a materialized view's 1:N UDFs.
   */
  public static ClassLoader loaderOf(TableLocation table, List<PinnedJar> jars) {
    return UdfLoaders.of(table, jars);
  }

  /**
   * The class loader a UDF of the session's own jars runs in where nothing pins it (a table
   * function in a plain query): the jars {@code session} holds beyond the engine's class path,
   * looked in first, as a pinned UDF's are, when the class is in one of them; else {@code session}.
   * So a UDF built against another version of a library the engine carries runs with its own in a
   * query too, on the driver and on each executor (whose loader holds its copies of the session's
   * jars). Each jar is identified by its checksum once per JVM and file version.
   */
  public static ClassLoader sessionLoader(String className, ClassLoader session) {
    List<Path> jars = UdfCode.userJars(session).stream().filter(j -> !isEngineJar(j)).toList();
    if (jars.isEmpty()) {
      return session;
    }
    Map<PinnedJar, Path> sessionFiles = new HashMap<>();
    List<PinnedJar> identified =
        jars.stream()
            .map(
                j -> {
                  PinnedJar p = SessionJars.identify(j);
                  sessionFiles.put(p, j);
                  return p;
                })
            .distinct()
            .toList();
    // Copied to the jar cache (and checked there) only when this JVM has no loader of them yet.
    ClassLoader loader =
        UdfLoaders.of(identified, p -> JarStore.cached(sessionFiles.get(p), p.name(), p.sha256()));
    try {
      Class<?> c = Class.forName(className, false, loader);
      return c.getClassLoader() == loader ? loader : session; // else on the engine's class path
    } catch (ClassNotFoundException | LinkageError e) {
      return session; // the session's loader says what is wrong with the class
    }
  }

  /** Whether {@code jar} holds Lancet itself (a bundle given with --jars), never pinned. */
  private static boolean isEngineJar(Path jar) {
    return CodeIdentity.jarOf(UdfSpec.class).map(jar::equals).orElse(false)
        || CodeIdentity.jarOf(PinnedCode.class).map(jar::equals).orElse(false);
  }
}
