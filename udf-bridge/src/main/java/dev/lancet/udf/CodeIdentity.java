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
    return jarOf(udfClass).map(jar -> bytecode + "+" + sha256(jar)).orElse(bytecode);
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
