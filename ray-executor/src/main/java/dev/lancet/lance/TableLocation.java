package dev.lancet.lance;

import java.util.Map;

/**
 * Where a Lance table lives: its URI and the storage options Lance opens it with (credentials,
 * endpoint, region for an object store; empty for a local path).
 *
 * @param uri the table's URI
 * @param storageOptions Lance storage options
 */
public record TableLocation(String uri, Map<String, String> storageOptions) {
  public TableLocation {
    storageOptions = storageOptions == null ? Map.of() : Map.copyOf(storageOptions);
  }

  /** A URI under the table, {@code relative} to its root. */
  public String under(String relative) {
    return DataFiles.underTable(uri, relative);
  }
}
