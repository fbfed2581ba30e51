package dev.lancet.lance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Deletes a folder beside a table (a view's staged copies, a view itself, a staged source of loaded
 * columns), local or on an object store.
 */
public final class Folders {
  private Folders() {}

  /** URI {@code child} (a relative path) under the folder at {@code uri}. */
  public static String under(String uri, String child) {
    return (uri.endsWith("/") ? uri : uri + "/") + child;
  }

  /**
   * Deletes everything under {@code uri}: the local folder's tree, or on an object store every
   * object under the prefix (Lance's {@code Dataset.drop}, its only delete). Throws IOException
   * when something stays.
   */
  public static void delete(String uri, Map<String, String> storageOptions) throws IOException {
    Path folder = DataFiles.localPath(uri);
    if (folder != null) {
      if (!Files.exists(folder)) {
        return;
      }
      try (Stream<Path> all = Files.walk(folder)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
      return;
    }
    try {
      org.lance.Dataset.drop(uri, storageOptions);
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * {@link #delete}, leaving what it cannot delete: for leftovers nothing refers to, which the next
   * caller deletes.
   */
  public static void deleteQuietly(String uri, Map<String, String> storageOptions) {
    try {
      delete(uri, storageOptions);
    } catch (IOException e) {
      // harmless: nothing refers to it
    }
  }
}
