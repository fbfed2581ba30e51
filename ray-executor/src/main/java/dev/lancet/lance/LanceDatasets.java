package dev.lancet.lance;

import dev.lancet.backfill.BackfillException;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.lance.Dataset;
import org.lance.ReadOptions;

/** Opens Lance datasets, turning Lance's errors into messages that name the table. */
public final class LanceDatasets {
  /** Lance's row address column: fragment id in the high 32 bits, physical slot in the low. */
  public static final String ROW_ADDRESS = "_rowaddr";

  private LanceDatasets() {}

  /** Opens the latest version. */
  public static Dataset open(String uri, Map<String, String> storageOptions) {
    return open(new TableLocation(uri, storageOptions));
  }

  /** Opens {@code version}, or the latest when it is null. */
  public static Dataset open(String uri, Map<String, String> storageOptions, Long version) {
    return open(new TableLocation(uri, storageOptions), version);
  }

  /** Opens the latest version. */
  public static Dataset open(TableLocation table) {
    return open(table, null);
  }

  /** Opens {@code version}, or the latest when it is null. */
  public static Dataset open(TableLocation table, Long version) {
    return open(Allocators.root(), table, version);
  }

  /** Opens {@code version} (latest when null); scans allocate from {@code allocator}. */
  public static Dataset open(BufferAllocator allocator, TableLocation table, Long version) {
    String uri = table.uri();
    ReadOptions.Builder options =
        new ReadOptions.Builder().setStorageOptions(table.storageOptions());
    if (version != null) {
      options.setVersion(version);
    }
    try {
      return Dataset.open(allocator, uri, options.build());
    } catch (
        Exception
            e) { // Lance's JNI also throws IOException, undeclared (a missing table, an unreachable
      // store)
      String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new BackfillException(
          "cannot open Lance table at "
              + uri
              + (version == null ? "" : " version " + version)
              + ": "
              + message,
          e);
    }
  }
}
