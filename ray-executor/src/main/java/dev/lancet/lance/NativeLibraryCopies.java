package dev.lancet.lance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the native-library copies that JVMs which did not exit normally left in the temp
 * directory. Every JVM that opens a Lance table unpacks lance's ~160 MB {@code liblance_jni*.so}
 * (and Arrow's {@code jnilib-*.tmp}) there under a random name and deletes it only at a normal
 * exit, so each {@code kill -9}, OOM, or Ray worker stopped by {@code ray stop} leaves one behind.
 * A copy no live process maps (read from {@code /proc/<pid>/maps}) and older than a short grace (a
 * JVM may have unpacked it and not loaded it yet) belongs to a dead JVM and is deleted. Runs once
 * per JVM, in the background; does nothing where {@code /proc} is not there.
 */
public final class NativeLibraryCopies {
  private static final Logger LOG = LoggerFactory.getLogger(NativeLibraryCopies.class);
  private static final Pattern COPY = Pattern.compile("liblance_jni\\d+\\.so|jnilib-\\d+\\.tmp");

  /** How old an unmapped copy must be before it is taken for a dead JVM's. */
  static final Duration GRACE = Duration.ofMinutes(2);

  private static boolean started;

  private NativeLibraryCopies() {}

  /** Starts the cleanup of {@code java.io.tmpdir} once in this JVM, on a daemon thread. */
  public static synchronized void removeUnusedInBackground() {
    if (started) {
      return;
    }
    started = true;
    Thread t =
        new Thread(
            () -> removeUnused(Path.of(System.getProperty("java.io.tmpdir")), GRACE),
            "lancet-native-cleanup");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Deletes the copies in {@code directory} that no live process maps and that are older than
   * {@code grace}; returns them.
   */
  public static List<Path> removeUnused(Path directory, Duration grace) {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc) || !Files.isDirectory(directory)) {
      return List.of();
    }
    List<Path> copies;
    try (Stream<Path> files = Files.list(directory)) {
      copies = files.filter(p -> COPY.matcher(p.getFileName().toString()).matches()).toList();
    } catch (IOException e) {
      return List.of();
    }
    if (copies.isEmpty()) {
      return List.of();
    }
    Set<Path> mapped = mappedFiles(proc);
    Instant cutoff = Instant.now().minus(grace);
    List<Path> removed = new java.util.ArrayList<>();
    for (Path copy : copies) {
      try {
        if (!mapped.contains(copy.toAbsolutePath())
            && Files.getLastModifiedTime(copy).toInstant().isBefore(cutoff)) {
          Files.deleteIfExists(copy);
          removed.add(copy);
        }
      } catch (IOException e) {
        // another user's, or gone meanwhile: leave it
      }
    }
    if (!removed.isEmpty()) {
      LOG.info(
          "removed {} native library copies that dead JVMs left in {}", removed.size(), directory);
    }
    return removed;
  }

  /**
   * Removes the unused copies in {@code java.io.tmpdir} now: {@code NativeLibraryCopies [grace
   * seconds]} (default 120). For scripts that run many JVMs, at their end.
   */
  public static void main(String[] args) {
    Duration grace =
        Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : GRACE.toSeconds());
    List<Path> removed = removeUnused(Path.of(System.getProperty("java.io.tmpdir")), grace);
    System.out.println("removed " + removed.size() + " native library copies left by dead JVMs");
  }

  /** Every file some live process maps. */
  private static Set<Path> mappedFiles(Path proc) {
    Set<Path> mapped = new HashSet<>();
    try (Stream<Path> pids = Files.list(proc)) {
      for (Path pid :
          pids.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
              .toList()) {
        try (Stream<String> lines = Files.lines(pid.resolve("maps"))) {
          lines.forEach(
              line -> {
                int slash = line.indexOf('/');
                if (slash > 0 && line.contains("jni")) {
                  String path = line.substring(slash).replace(" (deleted)", "");
                  mapped.add(Path.of(path));
                }
              });
        } catch (IOException | RuntimeException e) {
          // gone, or not ours to read
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", proc, e.toString());
    }
    return mapped;
  }
}
