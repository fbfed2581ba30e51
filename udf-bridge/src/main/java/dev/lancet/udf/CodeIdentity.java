package dev.lancet.udf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What identifies a UDF's code: the hash of its class's bytecode and, when the class comes from a
 * jar, the SHA-256 of that jar. A rebuilt jar with changed code (in the UDF or in any class it uses
 * from the same jar) gives a new identity, so values computed by the old code are stale.
 */
public final class CodeIdentity {
  private record FileKey(Path path, long size, long modified) {}

  private static final Map<FileKey, String> JAR_HASHES = new ConcurrentHashMap<>();

  private CodeIdentity() {}

  /** {@code <bytecode hash>} or {@code <bytecode hash>+<jar sha256>}. */
  public static String of(Class<?> udfClass) {
    String bytecode = bytecodeHash(udfClass);
    if (UdfClassPolicy.BUILT_IN.contains(udfClass.getName())) {
      return bytecode; // Lancet's own: a new build of its jar is not new code for it
    }
    return jarOf(udfClass).map(jar -> bytecode + "+" + sha256(jar)).orElse(bytecode);
  }

  /**
   * The identity {@link #of} gives the class {@code className} as {@code loader} would load it,
   * read from its class file and jar without loading it (showing a column never runs a UDF's static
   * code); empty when {@code loader} has no such class file.
   */
  public static Optional<String> ofResource(String className, ClassLoader loader) {
    URL url = loader.getResource(className.replace('.', '/') + ".class");
    if (url == null) {
      return Optional.empty();
    }
    String bytecode;
    try (InputStream in = url.openStream()) {
      MessageDigest sha = sha();
      sha.update(in.readAllBytes());
      bytecode = HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (UdfClassPolicy.BUILT_IN.contains(className)) {
      return Optional.of(bytecode);
    }
    Optional<Path> jar = Optional.empty();
    String spec = url.toString();
    int bang = spec.indexOf("!/");
    if (spec.startsWith("jar:file:") && bang > 0) {
      try {
        Path p = Path.of(new java.net.URI(spec.substring("jar:".length(), bang)));
        jar = Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
      } catch (URISyntaxException | IllegalArgumentException e) {
        jar = Optional.empty();
      }
    }
    return Optional.of(jar.map(j -> bytecode + "+" + sha256(j)).orElse(bytecode));
  }

  /**
   * A code identity for people: {@code class 1a2b3c4d5e6f} or {@code class 1a2b3c4d5e6f, jar
   * sha256:ef0123456789}.
   */
  public static String describe(String identity) {
    if (identity == null || identity.isEmpty()) {
      return "";
    }
    String[] parts = identity.split("\\+", 2);
    String text = "class " + parts[0].substring(0, Math.min(12, parts[0].length()));
    return parts.length == 2
        ? text + ", jar sha256:" + parts[1].substring(0, Math.min(12, parts[1].length()))
        : text;
  }

  /**
   * What differs between two identities, for people: {@code "class bytecode and jar"}, {@code
   * "class bytecode"}, {@code "jar (the class's bytecode is the same)"}, or empty when the same.
   */
  public static String changes(String before, String now) {
    if (before == null || before.equals(now)) {
      return "";
    }
    String[] b = before.split("\\+", 2);
    String[] n = now.split("\\+", 2);
    boolean bytecode = !b[0].equals(n[0]);
    boolean jar = !(b.length == n.length && (b.length == 1 || b[1].equals(n[1])));
    return bytecode && jar
        ? "class bytecode and jar"
        : bytecode ? "class bytecode" : "jar (the class's bytecode is the same)";
  }

  /**
   * Whether a worker's class is the code the driver saw: the same bytecode, and the same jar when
   * the driver's came from one (a class the driver loaded from a directory reaches cluster workers
   * packed into a jar of Lancet's making).
   */
  public static boolean sameCode(String driver, String worker) {
    String[] d = driver.split("\\+", 2);
    String[] w = worker.split("\\+", 2);
    return d[0].equals(w[0]) && (d.length == 1 || (w.length == 2 && d[1].equals(w[1])));
  }

  /** The jar file the class was loaded from, if it was loaded from a local jar. */
  public static Optional<Path> jarOf(Class<?> c) {
    CodeSource source =
        c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null || !"file".equals(location.getProtocol())) {
      return Optional.empty();
    }
    try {
      Path p = Path.of(location.toURI());
      return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The SHA-256 of a file as 64 hex digits; cached per path, size and modification time. */
  public static String sha256(Path file) {
    try {
      FileKey key =
          new FileKey(
              file.toAbsolutePath(), Files.size(file), Files.getLastModifiedTime(file).toMillis());
      return JAR_HASHES.computeIfAbsent(key, k -> hashFile(k.path()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String hashFile(Path file) {
    MessageDigest sha = sha();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String bytecodeHash(Class<?> c) {
    String resource = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
    try (InputStream in = c.getResourceAsStream(resource)) {
      MessageDigest sha = sha();
      sha.update(in == null ? new byte[0] : in.readAllBytes());
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (IOException e) {
      return "";
    }
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
