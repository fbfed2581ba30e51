package dev.lancet.spark.views;

import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.List;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Reads one column of a Lance table's rows with their row addresses, through Lance itself (a view's
 * refresh reads a fragment's keys or live rows, never the whole table through Spark).
 */
final class FragmentRows {
  private FragmentRows() {}

  /** Sees one row of a batch: the batch (valid during the call), the row, its address. */
  interface Visitor {
    void visit(VectorSchemaRoot batch, int row, long address);
  }

  /**
   * Hands each live row of {@code table} at {@code version} (null: the latest) to {@code visitor}:
   * those of fragment {@code fragmentId} (null: every fragment) matching {@code filter} (null:
   * all), with {@code column}.
   */
  static void forEach(
      TableLocation table,
      Long version,
      Integer fragmentId,
      String column,
      String filter,
      Visitor visitor) {
    try (Dataset d = LanceDatasets.open(table.uri(), table.storageOptions(), version)) {
      ScanOptions.Builder options =
          new ScanOptions.Builder().columns(List.of(column)).withRowAddress(true);
      if (fragmentId != null) {
        options.fragmentIds(List.of(fragmentId));
      }
      if (filter != null) {
        options.filter(filter);
      }
      try (LanceScanner scanner = d.newScan(options.build());
          ArrowReader reader = scanner.scanBatches()) {
        while (reader.loadNextBatch()) {
          VectorSchemaRoot batch = reader.getVectorSchemaRoot();
          UInt8Vector addresses = (UInt8Vector) batch.getVector(LanceDatasets.ROW_ADDRESS);
          for (int i = 0; i < batch.getRowCount(); i++) {
            visitor.visit(batch, i, addresses.get(i));
          }
        }
      }
    } catch (LancetException e) {
      throw e;
    } catch (Exception e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          "cannot read "
              + (fragmentId == null ? "" : "fragment " + fragmentId + " of ")
              + table.uri()
              + ": "
              + e.getMessage());
    }
  }
}
