package dev.lancet.ray;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Makes the driver's code (the project's jars and the user's UDF classes) available to Ray's Java
 * workers: every classpath entry is staged under a content-addressed name in one directory (jars
 * hard-linked when possible, class directories packed into a jar named by the hash of their
 * contents), which becomes the job's code search path. Unchanged code keeps its name, so staging
 * again costs nothing; changed classes get a new jar, never a stale one.
 */
public final class CodeShipping {
  private CodeShipping() {}

  /**
   * The driver's code: {@code java.class.path} plus the jars of URL class loaders above the context
   * class loader (where Spark puts {@code --jars}, the user's UDF jars among them).
   */
  public static String driverClasspath() {
    Set<String> entries =
        new LinkedHashSet<>(
            List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
    for (ClassLoader l = Thread.currentThread().getContextClassLoader();
        l != null;
        l = l.getParent()) {
      if (l instanceof java.net.URLClassLoader urls) {
        for (java.net.URL url : urls.getURLs()) {
          if ("file".equals(url.getProtocol())) {
            try {
              entries.add(Path.of(url.toURI()).toString());
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
              // Not a plain file: the workers cannot be given it this way.
            }
          }
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Stages {@code classpath} under {@code stagingRoot}; returns the code search path. */
  public static String stage(String classpath, Path stagingRoot) {
    return searchPath(stageEach(classpath, stagingRoot));
  }

  /**
   * Stages each entry of {@code classpath} (folders and jars) under {@code stagingRoot}: entry ->
   * its staged jar, in order.
   */
  public static Map<String, Path> stageEach(String classpath, Path stagingRoot) {
    try {
      Files.createDirectories(stagingRoot);
      Map<String, Path> staged = new LinkedHashMap<>();
      for (String entry : classpath.split(File.pathSeparator)) {
        if (entry.isBlank() || staged.containsKey(entry)) {
          continue;
        }
        Path source = Path.of(entry);
        if (Files.isDirectory(source)) {
          staged.put(entry, stageDirectory(source, stagingRoot));
        } else if (Files.isRegularFile(source) && entry.endsWith(".jar")) {
          staged.put(entry, stageJar(source, stagingRoot));
        }
      }
      return staged;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage code for Ray workers under " + stagingRoot, e);
    }
  }

  /** The code search path of staged entries. */
  public static String searchPath(Map<String, Path> staged) {
    return String.join(
        File.pathSeparator,
        new LinkedHashSet<>(staged.values().stream().map(Path::toString).toList()));
  }

  private static Path stageJar(Path jar, Path root) throws IOException {
    // Jars are immutable once built: name by path, size and time, not by reading hundreds of MB.
    String key =
        hash(
            jar.toAbsolutePath()
                + "|"
                + Files.size(jar)
                + "|"
                + Files.getLastModifiedTime(jar).toMillis());
    Path target = root.resolve(key + "-" + jar.getFileName());
    if (!Files.exists(target)) {
      Path tmp = root.resolve(target.getFileName() + ".tmp" + ProcessHandle.current().pid());
      try {
        Files.createLink(tmp, jar);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private static Path stageDirectory(Path dir, Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            files.add(file);
            return FileVisitResult.CONTINUE;
          }
        });
    files.sort(null);
    MessageDigest sha = sha();
    for (Path f : files) {
      sha.update(dir.relativize(f).toString().getBytes());
      sha.update(Files.readAllBytes(f));
    }
    Path target = root.resolve("classes-" + HexFormat.of().formatHex(sha.digest(), 0, 16) + ".jar");
    if (!Files.exists(target)) {
      Path tmp = root.resolve(target.getFileName() + ".tmp" + ProcessHandle.current().pid());
      try (OutputStream out = Files.newOutputStream(tmp);
          JarOutputStream jar = new JarOutputStream(out)) {
        for (Path f : files) {
          jar.putNextEntry(
              new ZipEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
          Files.copy(f, jar);
          jar.closeEntry();
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private static String hash(String s) {
    return HexFormat.of().formatHex(sha().digest(s.getBytes()), 0, 12);
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
