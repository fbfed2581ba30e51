package dev.lancet.lance;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a table's data files live, and the local-disk facts about them we can know. */
public final class DataFiles {
  private static final Logger LOG = LoggerFactory.getLogger(DataFiles.class);

  /** Stores whose unreferenced files could not be deleted, warned about once each. */
  private static final Set<String> UNDELETED = ConcurrentHashMap.newKeySet();

  private DataFiles() {}

  /** A fresh file name for a new column file (relative to the data directory). */
  public static String newFileName() {
    return UUID.randomUUID() + ".lance";
  }

  /** The URI of {@code relative} (e.g. {@code data/x.lance}) under the table's location. */
  public static String underTable(String datasetUri, String relative) {
    String base =
        datasetUri.endsWith("/") ? datasetUri.substring(0, datasetUri.length() - 1) : datasetUri;
    return base + "/" + relative;
  }

  /** The full URI of a file in the table's data directory. */
  public static String dataFileUri(String datasetUri, String fileName) {
    return underTable(datasetUri, "data/" + fileName);
  }

  /** The full URI of a file in {@code table}'s data directory. */
  public static String dataFileUri(TableLocation table, String fileName) {
    return dataFileUri(table.uri(), fileName);
  }

  /**
   * The local path of a URI, or null when it is not on the local file system. A {@code file:} URI
   * is decoded, or read as it is when it holds characters a URI may not (a space).
   */
  public static Path localPath(String uri) {
    if (uri.startsWith("file:")) {
      try {
        return Path.of(URI.create(uri));
      } catch (IllegalArgumentException notEncoded) {
        return Path.of(uri.substring(uri.startsWith("file://") ? "file://".length() : 5));
      }
    }
    return uri.contains("://") ? null : Path.of(uri);
  }

  /** The size of a file, or null when it is not local. */
  public static Long sizeOf(String uri) {
    Path p = localPath(uri);
    try {
      return p == null ? null : Files.size(p);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Deletes a file no table version references and none will (a merged part, a refused commit's
   * file, a done record): on the local disk, or one signed DELETE on S3 ({@link S3Objects}, as
   * Lance's Java API deletes only whole prefixes). Elsewhere (gs://, az://) the file stays, named
   * in a warning once per store: it is harmless, as no manifest references it.
   */
  public static void deleteQuietly(String uri, Map<String, String> storageOptions) {
    Path p = localPath(uri);
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // An orphan file is harmless: no manifest references it.
      }
      return;
    }
    String scheme = uri.substring(0, uri.indexOf(':'));
    if ((scheme.equals("s3") || scheme.equals("s3a")) && S3Objects.delete(uri, storageOptions)) {
      return;
    }
    String store = scheme + "://" + URI.create(uri).getHost();
    if (UNDELETED.add(store)) {
      LOG.warn(
          "cannot delete unreferenced files on {} (first: {}); no table version references them",
          store,
          uri);
    }
  }

  /**
   * Whether anything is stored under the directory {@code uri} (on the local disk, or one listing
   * request on S3), or null when this store cannot tell cheaply (gs://, az://, or S3 without
   * credentials to sign with).
   */
  public static Boolean anyUnder(String uri, Map<String, String> storageOptions) {
    Path p = localPath(uri);
    if (p != null) {
      try (java.util.stream.Stream<Path> files = Files.list(p)) {
        return files.findAny().isPresent();
      } catch (java.nio.file.NoSuchFileException e) {
        return false;
      } catch (IOException e) {
        return null;
      }
    }
    String scheme = uri.substring(0, uri.indexOf(':'));
    if (scheme.equals("s3") || scheme.equals("s3a")) {
      return S3Objects.anyUnder(uri.endsWith("/") ? uri : uri + "/", storageOptions);
    }
    return null;
  }

  /**
   * Whether the data file {@code fileName} (finished by an earlier run) is still there whole: it
   * holds {@code physicalRows} rows. False when it is gone (committed and replaced since, or
   * cleaned up).
   */
  public static boolean holdsRows(
      TableLocation table,
      String fileName,
      long physicalRows,
      org.apache.arrow.memory.BufferAllocator allocator) {
    if (fileName == null) {
      return false;
    }
    try (org.lance.file.LanceFileReader reader =
        org.lance.file.LanceFileReader.open(
            dataFileUri(table, fileName), table.storageOptions(), allocator)) {
      return reader.numRows() == physicalRows;
    } catch (Exception e) {
      return false;
    }
  }
}
