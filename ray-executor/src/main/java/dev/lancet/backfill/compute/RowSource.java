package dev.lancet.backfill.compute;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where a fragment's scanned rows come from: a work group's own scan ({@link GroupScan}), or one
 * column's view of a scan that several columns share ({@link SharedScan}).
 */
interface RowSource extends AutoCloseable {
  /**
   * The next rows of fragment {@code fragmentId}, or null once it has none left. Valid until the
   * next call; owned by the source. Fragments must be asked for in the group's order.
   */
  VectorSchemaRoot next(int fragmentId) throws Exception;

  @Override
  void close();
}
