package dev.lancet.backfill.store;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user's jars a backfill's UDF is loaded from on cluster workers: the jars the session added
 * ({@code --jars}, {@code ADD JAR}) beyond the JVM's own class path, published under their SHA-256
 * where every node can read them (the table's own store), so a changed jar is never served stale,
 * and a jar added in the middle of a session reaches the next backfill's workers. Each worker keeps
 * one class loader per jar set.
 *
 * @param jars the jars, in class-path order
 */
public record UdfCode(List<Jar> jars) {
  /** No jars beyond the workers' own class path. */
  public static final UdfCode NONE = new UdfCode(List.of());

  private static final Map<List<String>, ClassLoader> LOADERS = new ConcurrentHashMap<>();

  public UdfCode {
    jars = jars == null ? List.of() : List.copyOf(jars);
  }

  /**
   * One staged jar.
   *
   * @param name its file name where it came from
   * @param sha256 its checksum (64 hex digits)
   * @param location where workers fetch it from (the table's code store)
   */
  public record Jar(String name, String sha256, String location) {}

  /**
   * The jars {@code loader} sees beyond {@code java.class.path}: the URLs of the URL class loaders
   * from {@code loader} up to the system class loader, in class-path order (parents first).
   */
  public static List<Path> userJars(ClassLoader loader) {
    Set<String> systemPath =
        Set.of(System.getProperty("java.class.path").split(File.pathSeparator));
    List<List<Path>> levels = new ArrayList<>();
    for (ClassLoader l = loader;
        l != null && l != ClassLoader.getSystemClassLoader();
        l = l.getParent()) {
      List<Path> level = new ArrayList<>();
      if (l instanceof URLClassLoader urls) {
        for (URL url : urls.getURLs()) {
          Path p = localPath(url);
          if (p != null
              && p.toString().endsWith(".jar")
              && Files.isRegularFile(p)
              && !systemPath.contains(p.toString())) {
            level.add(p);
          }
        }
      }
      levels.add(0, level);
    }
    Set<Path> jars = new LinkedHashSet<>();
    levels.forEach(jars::addAll);
    return List.copyOf(jars);
  }

  private static Path localPath(URL url) {
    if (!"file".equals(url.getProtocol())) {
      return null;
    }
    try {
      return Path.of(url.toURI()).toAbsolutePath();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * A class loader over these jars with {@code parent} above them, one per jar set in this JVM.
   * {@code fetch} gives each jar as a local file checked against its checksum (a worker downloads
   * it from where the driver published it), so a worker never runs other code than the driver saw.
   */
  public ClassLoader loader(ClassLoader parent, java.util.function.Function<Jar, Path> fetch) {
    if (jars.isEmpty()) {
      return parent;
    }
    List<String> key = jars.stream().map(Jar::sha256).toList();
    return LOADERS.computeIfAbsent(
        key,
        k -> {
          List<URL> urls = new ArrayList<>();
          for (Jar jar : jars) {
            try {
              urls.add(fetch.apply(jar).toUri().toURL());
            } catch (MalformedURLException e) {
              throw new IllegalStateException(e);
            }
          }
          return new URLClassLoader(
              "lancet-udf-" + key.get(0).substring(0, 12), urls.toArray(URL[]::new), parent);
        });
  }
}
