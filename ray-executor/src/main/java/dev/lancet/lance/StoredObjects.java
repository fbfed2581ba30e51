package dev.lancet.lance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Small text objects beside a table (a materialized view's state, its refresh lease), on the local
 * disk or in an S3 bucket: read, replaced whole (a reader sees the old text or the new one, never a
 * part), and, on S3, created or replaced only under a condition ({@code If-None-Match: *}, {@code
 * If-Match: <etag>}), which is what a lease between processes on different machines needs. Lance's
 * Java API has no such call ({@link S3Objects} signs the requests).
 */
public final class StoredObjects {
  private StoredObjects() {}

  /**
   * An object's text and its version tag (S3's ETag; null on the local disk).
   *
   * @param text its text
   * @param tag what a conditional replace names
   */
  public record Stored(String text, String tag) {}

  /** Whether {@code uri} is on S3, where the conditional calls work. */
  public static boolean onS3(String uri) {
    return uri.startsWith("s3://") || uri.startsWith("s3a://");
  }

  /** The object at {@code uri}, or null when there is none. */
  public static Stored read(String uri, Map<String, String> storageOptions) throws IOException {
    Path local = DataFiles.localPath(uri);
    if (local != null) {
      return Files.exists(local)
          ? new Stored(Files.readString(local, StandardCharsets.UTF_8), null)
          : null;
    }
    requireS3(uri);
    S3Objects.Got got = S3Objects.get(s3(uri), storageOptions);
    return got == null
        ? null
        : new Stored(new String(got.body(), StandardCharsets.UTF_8), got.etag());
  }

  /** Writes {@code text} at {@code uri} in one step, replacing what is there. */
  public static void write(String uri, String text, Map<String, String> storageOptions)
      throws IOException {
    Path local = DataFiles.localPath(uri);
    if (local != null) {
      Files.createDirectories(local.getParent());
      Path tmp = Files.createTempFile(local.getParent(), local.getFileName().toString(), ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    requireS3(uri);
    S3Objects.put(s3(uri), text.getBytes(StandardCharsets.UTF_8), storageOptions, null, false);
  }

  /** Creates the S3 object {@code uri} if there is none: its tag, or null when one exists. */
  public static String createIfAbsent(String uri, String text, Map<String, String> storageOptions)
      throws IOException {
    requireS3(uri);
    return S3Objects.put(
        s3(uri), text.getBytes(StandardCharsets.UTF_8), storageOptions, null, true);
  }

  /**
   * Replaces the S3 object {@code uri} if its tag is still {@code tag}: the new tag, or null when
   * another writer replaced or deleted it meanwhile.
   */
  public static String replaceIf(
      String uri, String text, String tag, Map<String, String> storageOptions) throws IOException {
    requireS3(uri);
    return S3Objects.put(
        s3(uri), text.getBytes(StandardCharsets.UTF_8), storageOptions, tag, false);
  }

  /** Deletes the object at {@code uri} if it is there; false when it could not be deleted. */
  public static boolean delete(String uri, Map<String, String> storageOptions) {
    Path local = DataFiles.localPath(uri);
    if (local != null) {
      try {
        Files.deleteIfExists(local);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    return onS3(uri) && S3Objects.delete(s3(uri), storageOptions);
  }

  private static void requireS3(String uri) throws IOException {
    if (!onS3(uri)) {
      throw new IOException("only local paths and s3:// objects are supported here: " + uri);
    }
  }

  /** s3a:// is s3:// to the store. */
  private static String s3(String uri) {
    return uri.startsWith("s3a://") ? "s3://" + uri.substring("s3a://".length()) : uri;
  }
}
