package dev.lancet.backfill.compute;

import dev.lancet.backfill.BackfillException;
import dev.lancet.lance.Closing;
import dev.lancet.lance.LanceDatasets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * One scan of the UDF's inputs (with the filter and row addresses) over the fragments of a work
 * group, handed out fragment by fragment: a scan costs about 1 ms to set up, more than a small
 * fragment's rows cost to read, so a group of small fragments shares one. Lance returns the
 * fragments in the order asked, each one's rows together; a batch spanning two fragments is sliced.
 * Narrow fixed-width inputs are read in larger batches than the UDF's ({@link WindowSize#scanRows})
 * and handed out in slices of at most its batch size. A fragment whose unit does not read its rows
 * (its result was found finished) is skipped over. The scan opens on first use.
 */
public final class GroupScan implements RowSource, AutoCloseable {
  private final Dataset dataset;
  private final List<Integer> fragmentIds;
  private final Map<Integer, Integer> position = new HashMap<>();
  private final List<String> columns;
  private final String filter;
  private final int batchSize;
  private LanceScanner scanner;
  private ArrowReader reader;
  private VectorSchemaRoot batch;
  private int cursor;
  private VectorSchemaRoot handedOut;
  private boolean exhausted;

  /** Scans opened in this JVM: what shows that columns backfilled together read once. */
  static final java.util.concurrent.atomic.AtomicLong OPENED =
      new java.util.concurrent.atomic.AtomicLong();

  GroupScan(
      Dataset dataset,
      List<Integer> fragmentIds,
      List<String> columns,
      String filter,
      int batchSize) {
    this.dataset = dataset;
    this.fragmentIds = List.copyOf(fragmentIds);
    for (int i = 0; i < fragmentIds.size(); i++) {
      position.put(fragmentIds.get(i), i);
    }
    this.columns = columns;
    this.filter = filter;
    this.batchSize = batchSize;
  }

  /**
   * The next rows of fragment {@code fragmentId}, or null once it has none left. Valid until the
   * next call; owned by this scan. Fragments must be asked for in the group's order.
   */
  @Override
  public VectorSchemaRoot next(int fragmentId) throws Exception {
    releaseHandedOut();
    Integer wanted = position.get(fragmentId);
    if (wanted == null) {
      throw new IllegalArgumentException("fragment " + fragmentId + " is not in this scan");
    }
    while (true) {
      if (batch == null || cursor >= batch.getRowCount()) {
        if (!load()) {
          return null;
        }
        continue;
      }
      UInt8Vector addresses = (UInt8Vector) batch.getVector(LanceDatasets.ROW_ADDRESS);
      int at = (int) (addresses.get(cursor) >>> 32);
      Integer here = position.get(at);
      if (here == null) {
        throw new BackfillException(
            "the scan of fragments " + fragmentIds + " returned a row of fragment " + at);
      }
      if (here > wanted) {
        return null; // the scan has moved on: this fragment is done
      }
      int end = Math.min(runEnd(addresses, at), cursor + batchSize);
      int start = cursor;
      cursor = end;
      if (here < wanted) {
        continue; // an earlier fragment whose unit did not read its rows
      }
      if (start == 0 && end == batch.getRowCount()) {
        return batch;
      }
      handedOut = batch.slice(start, end - start);
      return handedOut;
    }
  }

  /** One fragment's rows in a loaded batch: rows {@code start} to {@code end} (exclusive). */
  record Chunk(int fragmentId, VectorSchemaRoot batch, int start, int end) {}

  /**
   * The next run of one fragment's rows, whichever fragment, or null at the scan's end: what a
   * {@link SharedScan} hands to each column. Valid until the next call.
   */
  Chunk nextChunk() throws Exception {
    releaseHandedOut();
    while (batch == null || cursor >= batch.getRowCount()) {
      if (!load()) {
        return null;
      }
    }
    UInt8Vector addresses = (UInt8Vector) batch.getVector(LanceDatasets.ROW_ADDRESS);
    int at = (int) (addresses.get(cursor) >>> 32);
    if (!position.containsKey(at)) {
      throw new BackfillException(
          "the scan of fragments " + fragmentIds + " returned a row of fragment " + at);
    }
    int end = Math.min(runEnd(addresses, at), cursor + batchSize);
    Chunk chunk = new Chunk(at, batch, cursor, end);
    cursor = end;
    return chunk;
  }

  /**
   * Where the run of fragment {@code at}'s rows from the cursor ends in the loaded batch. The scan
   * returns fragments one after another, so a batch that ends in the same fragment is one run to
   * its end: the usual batch is answered without reading each row's address.
   */
  private int runEnd(UInt8Vector addresses, int at) {
    int rows = batch.getRowCount();
    if ((int) (addresses.get(rows - 1) >>> 32) == at) {
      return rows;
    }
    int end = cursor;
    while (end < batch.getRowCount() && (int) (addresses.get(end) >>> 32) == at) {
      end++;
    }
    return end;
  }

  /** The position of fragment {@code fragmentId} in the scan's order, or null if not in it. */
  Integer positionOf(int fragmentId) {
    return position.get(fragmentId);
  }

  private boolean load() throws Exception {
    if (exhausted) {
      return false;
    }
    if (reader == null) {
      ScanOptions.Builder options =
          new ScanOptions.Builder()
              .fragmentIds(fragmentIds)
              .columns(columns)
              .withRowAddress(true)
              .batchSize(WindowSize.scanRows(inputFields(), batchSize));
      if (filter != null) {
        options.filter(filter);
      }
      scanner = dataset.newScan(options.build());
      OPENED.incrementAndGet();
      reader = scanner.scanBatches();
    }
    cursor = 0;
    if (!reader.loadNextBatch()) {
      batch = null;
      exhausted = true;
      return false;
    }
    batch = reader.getVectorSchemaRoot();
    return true;
  }

  /** The scanned columns' fields, or null if one is not a top-level column of the table. */
  private List<org.apache.arrow.vector.types.pojo.Field> inputFields() {
    Map<String, org.apache.arrow.vector.types.pojo.Field> byName = new HashMap<>();
    for (org.apache.arrow.vector.types.pojo.Field f : dataset.getSchema().getFields()) {
      byName.put(f.getName(), f);
    }
    List<org.apache.arrow.vector.types.pojo.Field> fields = new java.util.ArrayList<>();
    for (String column : columns) {
      org.apache.arrow.vector.types.pojo.Field f = byName.get(column);
      if (f == null) {
        return null;
      }
      fields.add(f);
    }
    return fields;
  }

  private void releaseHandedOut() {
    if (handedOut != null) {
      handedOut.close();
      handedOut = null;
    }
  }

  @Override
  public void close() {
    AutoCloseable handed = handedOut;
    handedOut = null;
    Closing.all(handed, reader, scanner); // each, whatever the others do
  }
}
