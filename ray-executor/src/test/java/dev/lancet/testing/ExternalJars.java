package dev.lancet.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A user's UDF jar, compiled at test time outside the repository's build, as a user compiles
 * theirs: {@code javac -parameters} against the UDF API (the udf-bridge classes on this JVM's class
 * path) into a jar of its own, which no class path of the project holds.
 */
public final class ExternalJars {
  private ExternalJars() {}

  /**
   * Compiles {@code sources} (fully qualified class name to source text) and packs the classes into
   * {@code jar}; returns it.
   */
  public static Path compile(Path jar, Map<String, String> sources) {
    return compile(jar, sources, List.of());
  }

  /**
   * {@link #compile(Path, Map)} against {@code libraries} (jars the user's build depends on) before
   * the UDF API, as a user's build compiles against its own library versions.
   */
  public static Path compile(Path jar, Map<String, String> sources, List<Path> libraries) {
    return compile(jar, sources, libraries, true);
  }

  /**
   * {@link #compile(Path, Map)} as plain {@code javac} compiles, without {@code -parameters}: the
   * class files keep no parameter names, so the UDF's columns must be named by INPUTS.
   */
  public static Path compileWithoutParameterNames(Path jar, Map<String, String> sources) {
    return compile(jar, sources, List.of(), false);
  }

  private static Path compile(
      Path jar, Map<String, String> sources, List<Path> libraries, boolean parameterNames) {
    try {
      Path work = Files.createTempDirectory("lancet-udf-src");
      try {
        List<String> args =
            new ArrayList<>(
                List.of(
                    parameterNames ? "-parameters" : "-g:source,lines", // javac's default
                    "-d",
                    work.resolve("classes").toString(),
                    "-cp",
                    String.join(
                        File.pathSeparator,
                        java.util.stream.Stream.concat(
                                libraries.stream().map(Path::toString),
                                java.util.stream.Stream.of(System.getProperty("java.class.path")))
                            .toList())));
        for (Map.Entry<String, String> s : sources.entrySet()) {
          Path file =
              work.resolve("src").resolve(s.getKey().replace('.', File.separatorChar) + ".java");
          Files.createDirectories(file.getParent());
          Files.writeString(file, s.getValue());
          args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, System.err, args.toArray(String[]::new)) != 0) {
          throw new IllegalStateException("javac failed for " + sources.keySet());
        }
        Files.createDirectories(jar.toAbsolutePath().getParent());
        Path classes = work.resolve("classes");
        try (OutputStream out = Files.newOutputStream(jar);
            JarOutputStream j = new JarOutputStream(out);
            Stream<Path> files = Files.walk(classes)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            j.putNextEntry(
                new ZipEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
            Files.copy(f, j);
            j.closeEntry();
          }
        }
        return jar;
      } finally {
        try (Stream<Path> files = Files.walk(work)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code jar} with the classes of {@code libraries} packed into it (a "fat jar", as a user's
   * build makes one): returns a new jar beside it.
   */
  public static Path bundled(Path jar, List<Path> libraries) {
    Path out = jar.resolveSibling("bundled-" + jar.getFileName());
    java.util.Set<String> seen = new java.util.HashSet<>();
    try (OutputStream os = Files.newOutputStream(out);
        JarOutputStream j = new JarOutputStream(os)) {
      for (Path source :
          java.util.stream.Stream.concat(java.util.stream.Stream.of(jar), libraries.stream())
              .toList()) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(source.toFile())) {
          for (java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
            if (e.isDirectory() || e.getName().startsWith("META-INF/") || !seen.add(e.getName())) {
              continue;
            }
            j.putNextEntry(new ZipEntry(e.getName()));
            try (java.io.InputStream in = zip.getInputStream(e)) {
              in.transferTo(j);
            }
            j.closeEntry();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * A class loader over {@code jars} above this JVM's class path, parent first (as Spark's session
   * loader is): a session that added them with {@code --jars} or {@code ADD JAR}.
   */
  public static URLClassLoader session(Path... jars) {
    java.net.URL[] urls = new java.net.URL[jars.length];
    for (int i = 0; i < jars.length; i++) {
      try {
        urls[i] = jars[i].toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
    return new URLClassLoader(urls, ExternalJars.class.getClassLoader());
  }

  /**
   * A library jar the build copied for user code ({@code target/user-deps/<fileName>}): a version
   * of Guava, Jackson or commons-lang3 the engine does not carry.
   */
  public static Path userDep(String fileName) {
    Path p = Path.of("target", "user-deps", fileName).toAbsolutePath();
    if (!java.nio.file.Files.isRegularFile(p)) { // another module's tests: the engine's copies
      p = Path.of("..", "ray-executor", "target", "user-deps", fileName).toAbsolutePath();
    }
    if (!java.nio.file.Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is missing: the build's user-deps step copies it");
    }
    return p;
  }

  /** A class loader over {@code jar} alone above this JVM's class path: a session that added it. */
  public static URLClassLoader loader(Path jar) {
    try {
      return new URLClassLoader(
          new URL[] {jar.toUri().toURL()}, ExternalJars.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A scalar UDF {@code <className>} computing {@code x * y + offset}, with its arithmetic in a
   * helper class of the same jar, so a change of the helper alone changes the jar, not the UDF's
   * own bytecode. It counts its calls in the system property {@code <className>.calls}.
   */
  public static Map<String, String> areaUdf(String className, int offset) {
    String pkg = className.substring(0, className.lastIndexOf('.'));
    String simple = className.substring(className.lastIndexOf('.') + 1);
    return Map.of(
        className,
        "package "
            + pkg
            + ";\n"
            + "public class "
            + simple
            + " {\n"
            + "  public long call(int x, int y) {\n"
            + "    synchronized ("
            + simple
            + ".class) {\n"
            + "      String key = \""
            + className
            + ".calls\";\n"
            + "      System.setProperty(key, String.valueOf(Long.getLong(key, 0L) + 1));\n"
            + "    }\n"
            + "    return "
            + simple
            + "Math.area(x, y);\n"
            + "  }\n"
            + "}\n",
        className + "Math",
        "package "
            + pkg
            + ";\n"
            + "final class "
            + simple
            + "Math {\n"
            + "  static long area(int x, int y) { return (long) x * y + "
            + offset
            + "; }\n"
            + "}\n");
  }

  /** Calls counted by {@link #areaUdf}'s class {@code className} in this JVM. */
  public static long calls(String className) {
    return Long.getLong(className + ".calls", 0L);
  }

  /** Forgets the calls counted by {@code className}. */
  public static void resetCalls(String className) {
    System.clearProperty(className + ".calls");
  }
}
