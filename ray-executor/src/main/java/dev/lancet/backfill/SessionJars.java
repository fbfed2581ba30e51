package dev.lancet.backfill;

import dev.lancet.udf.CodeIdentity;
import dev.lancet.udf.PinnedJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checksums of a session's jar files, computed once per file version (its size and modified
 * time) in this JVM: a table function's loader is looked up per Spark task, and hashing its jars
 * each time would cost more than the task.
 */
final class SessionJars {
  private record Version(Path file, long size, long modified) {}

  private static final Map<Version, PinnedJar> KNOWN = new ConcurrentHashMap<>();

  /** Versions kept before the map starts afresh (a session's jars are few; this bounds a leak). */
  static final int KEPT = 256;

  private SessionJars() {}

  static PinnedJar identify(Path jar) {
    Version v;
    try {
      v = new Version(jar, Files.size(jar), Files.getLastModifiedTime(jar).toMillis());
    } catch (IOException e) {
      return new PinnedJar(jar.getFileName().toString(), CodeIdentity.sha256(jar));
    }
    if (KNOWN.size() > KEPT) {
      KNOWN.clear();
    }
    return KNOWN.computeIfAbsent(
        v, k -> new PinnedJar(jar.getFileName().toString(), CodeIdentity.sha256(jar)));
  }
}
