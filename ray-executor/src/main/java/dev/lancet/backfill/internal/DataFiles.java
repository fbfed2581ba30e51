package dev.lancet.backfill.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Where a table's data files live, and the local-disk facts about them we can know. */
final class DataFiles {
  private DataFiles() {}

  /** A fresh file name for a new column file (relative to the data directory). */
  static String newFileName() {
    return UUID.randomUUID() + ".lance";
  }

  /** The URI of {@code relative} (e.g. {@code data/x.lance}) under the table's location. */
  static String underTable(String datasetUri, String relative) {
    String base = datasetUri.endsWith("/") ? datasetUri.substring(0, datasetUri.length() - 1) : datasetUri;
    return base + "/" + relative;
  }

  /** The full URI of a file in the table's data directory. */
  static String dataFileUri(String datasetUri, String fileName) {
    return underTable(datasetUri, "data/" + fileName);
  }

  /** The local path of a URI, or null when it is not on the local file system. */
  static Path localPath(String uri) {
    if (uri.startsWith("file:")) {
      return Path.of(URI.create(uri));
    }
    return uri.contains("://") ? null : Path.of(uri);
  }

  /** The size of a file, or null when it is not local. */
  static Long sizeOf(String uri) {
    Path p = localPath(uri);
    try {
      return p == null ? null : Files.size(p);
    } catch (IOException e) {
      return null;
    }
  }

  /** Deletes a local data file that will never be committed; remote files are left to Lance cleanup. */
  static void deleteQuietly(String uri) {
    Path p = localPath(uri);
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // An orphan file is harmless: no manifest references it.
      }
    }
  }
}
