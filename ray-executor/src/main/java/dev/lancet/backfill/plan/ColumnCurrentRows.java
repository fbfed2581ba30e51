package dev.lancet.backfill.plan;

import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.UdfSpec;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Counts a virtual column's live rows whose value is current for a UDF version, as {@link
 * ColumnFreshness} judges them for a backfill; reads only (what the history explains is not
 * recorded).
 */
public final class ColumnCurrentRows {
  private ColumnCurrentRows() {}

  /**
   * @param spec the column's spec with the code a backfill would run now
   */
  public static long count(
      Dataset dataset,
      TableLocation table,
      String column,
      UdfSpec spec,
      BufferAllocator allocator) {
    long current = 0;
    for (ColumnFreshness.FragmentState f :
        ColumnFreshness.assess(dataset, table, column, spec, allocator).fragments()) {
      if (f.all()) {
        current += f.meta().getNumRows();
      } else if (!f.fresh().isEmpty()) {
        current +=
            f.meta().getNumRows() == f.meta().getPhysicalRows()
                ? f.fresh().count()
                : liveAmong(dataset, f.meta().getId(), f.fresh());
      }
    }
    return current;
  }

  /** The fragment's live rows whose slot is in {@code slots} (deleted slots are not rows). */
  private static long liveAmong(Dataset dataset, int fragment, Slots slots) {
    long live = 0;
    try (LanceScanner scanner =
            dataset.newScan(
                new ScanOptions.Builder()
                    .fragmentIds(List.of(fragment))
                    .columns(List.of())
                    .withRowAddress(true)
                    .build());
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        UInt8Vector addresses =
            (UInt8Vector) reader.getVectorSchemaRoot().getVector(LanceDatasets.ROW_ADDRESS);
        for (int i = 0; i < addresses.getValueCount(); i++) {
          if (slots.contains(addresses.get(i) & 0xFFFFFFFFL)) {
            live++;
          }
        }
      }
    } catch (Exception e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR, e, "cannot read the rows of fragment " + fragment);
    }
    return live;
  }
}
