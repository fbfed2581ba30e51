package dev.lancet.backfill.compute;

import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.file.LanceFileReader;
import org.lance.util.Range;

/**
 * A Lance data file read in order, one window of rows at a time, each window its own read of one
 * row range. Lance 4.0's file reader fails on the second batch of one multi-batch read of a
 * variable-length list column in the 2.0 format ("drain was called on primitive field decoder ...
 * but the decoder was never awaited"), from about 20K rows of 768 floats on; a read of one range
 * returned as one batch does not.
 */
final class FileWindows implements PartWindows {
  private final LanceFileReader reader;
  private final List<String> columns;
  private final long rows;
  private final int window;
  private long position;
  private ArrowReader current;

  /**
   * Reads {@code columns} of the file at {@code uri} from row {@code from}, {@code window} rows at
   * a time.
   */
  FileWindows(
      String uri,
      Map<String, String> storageOptions,
      List<String> columns,
      long from,
      int window,
      BufferAllocator allocator)
      throws Exception {
    this.reader = LanceFileReader.open(uri, storageOptions, allocator);
    this.columns = columns;
    this.window = Math.max(1, window);
    this.position = from;
    try {
      this.rows = reader.numRows();
    } catch (Exception e) {
      reader.close();
      throw e;
    }
  }

  long rows() {
    return rows;
  }

  @Override
  public VectorSchemaRoot next() throws Exception {
    if (current != null) {
      current.close();
      current = null;
    }
    if (position >= rows) {
      return null;
    }
    int n = (int) Math.min(window, rows - position);
    current = reader.readAll(columns, List.of(Range.of((int) position, (int) position + n)), n);
    if (!current.loadNextBatch() || current.getVectorSchemaRoot().getRowCount() != n) {
      throw new IllegalStateException(
          "rows "
              + position
              + ".."
              + (position + n)
              + " of a "
              + rows
              + "-row file read as "
              + (current.getVectorSchemaRoot() == null
                  ? 0
                  : current.getVectorSchemaRoot().getRowCount()));
    }
    position += n;
    return current.getVectorSchemaRoot();
  }

  @Override
  public void close() throws Exception {
    try {
      if (current != null) {
        current.close();
      }
    } finally {
      reader.close();
    }
  }
}
