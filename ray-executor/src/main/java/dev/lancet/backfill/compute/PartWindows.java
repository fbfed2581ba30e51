package dev.lancet.backfill.compute;

import org.apache.arrow.vector.VectorSchemaRoot;

/** A part's rows read in order, a window at a time: a Lance file's or an Arrow part's. */
interface PartWindows extends AutoCloseable {
  /** The next window (valid until the next call), or null at the end. */
  VectorSchemaRoot next() throws Exception;
}
