package dev.lancet.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.fragment.DataFile;

/**
 * The files of a Lance table on disk, for fault tests: what its versions reference, what is there.
 */
public final class TableFiles {
  private TableFiles() {}

  /** Data file names the latest version references. */
  public static Set<String> referenced(String uri) {
    Set<String> files = new HashSet<>();
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      for (Fragment f : ds.getFragments()) {
        for (DataFile d : f.metadata().getFiles()) {
          files.add(d.getPath());
        }
      }
    }
    return files;
  }

  /**
   * The Lance file format of each data file the latest version references, as "major.minor" from
   * the file's footer (its last 8 bytes: major, minor as little-endian u16, then "LANC"; 2.0 files
   * say 0.3).
   */
  public static Set<String> formats(String uri) {
    Set<String> formats = new HashSet<>();
    for (String name : referenced(uri)) {
      try (java.io.RandomAccessFile f =
          new java.io.RandomAccessFile(Path.of(uri, "data", name).toFile(), "r")) {
        byte[] tail = new byte[8];
        f.seek(f.length() - 8);
        f.readFully(tail);
        int major = (tail[0] & 0xff) | (tail[1] & 0xff) << 8;
        int minor = (tail[2] & 0xff) | (tail[3] & 0xff) << 8;
        formats.add(major == 0 && minor == 3 ? "2.0" : major + "." + minor);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return formats;
  }

  /** Data file names under the table's data directory. */
  public static Set<String> onDisk(String uri) {
    try (Stream<Path> files = Files.list(Path.of(uri, "data"))) {
      Set<String> names = new HashSet<>();
      files.forEach(p -> names.add(p.getFileName().toString()));
      return names;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Data files on disk that no version of the table references. */
  public static List<String> orphans(String uri) {
    Set<String> referenced = new HashSet<>();
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      for (org.lance.Version v : ds.listVersions()) {
        try (Dataset at = ds.checkoutVersion(v.getId())) {
          for (Fragment f : at.getFragments()) {
            f.metadata().getFiles().forEach(d -> referenced.add(d.getPath()));
          }
        }
      }
    }
    // Merged parts are deleted on a background thread of this JVM (LOCAL mode's workers).
    dev.lancet.lance.DeferredDeletes.awaitIdle(java.time.Duration.ofSeconds(30));
    List<String> orphans = new ArrayList<>(onDisk(uri));
    orphans.removeAll(referenced);
    return orphans;
  }

  /** Fails unless every data file of every version still present is on disk. */
  public static void assertEveryReferencedFileExists(String uri) {
    Set<String> disk = onDisk(uri);
    List<String> missing = new ArrayList<>();
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      for (org.lance.Version v : ds.listVersions()) {
        try (Dataset at = ds.checkoutVersion(v.getId())) {
          for (Fragment f : at.getFragments()) {
            for (DataFile d : f.metadata().getFiles()) {
              if (!disk.contains(d.getPath())) {
                missing.add("version " + v.getId() + ": " + d.getPath());
              }
            }
          }
        }
      }
    }
    assertTrue(missing.isEmpty(), "files referenced by a table version are gone: " + missing);
  }
}
