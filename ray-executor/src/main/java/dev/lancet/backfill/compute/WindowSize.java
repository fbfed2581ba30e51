package dev.lancet.backfill.compute;

import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * How many rows a window of a column file holds: as many as fit in {@link #BYTES}, at most the
 * batch size. glibc serves an allocation above its mmap threshold (32 MB at most) with fresh pages
 * each time, so a batch of 8,192 {@code float[1536]} rows (48 MB) costs page faults in Java's
 * buffers and again in Lance's: written or read that way, a 2.1 column file took 2.9x (write) and
 * 7.5x (read) the time of the same rows in 6 MB windows ({@code benchmarks/run file-write},
 * docs/stack-notes.md).
 */
final class WindowSize {
  /** The most bytes a window aims at. */
  static final long BYTES = 8L << 20;

  /** A row's guess when a type's width is not fixed. */
  private static final int VARIABLE_BYTES = 64;

  private WindowSize() {}

  /** Rows per window for rows of {@code fields}, at most {@code cap} and at least 1. */
  static int rows(List<Field> fields, int cap) {
    long width = 0;
    for (Field f : fields) {
      width += width(f);
    }
    long rows = BYTES / Math.max(1, width);
    return (int) Math.max(1, Math.min(cap, rows));
  }

  /** The most rows a scan batch of narrow fixed-width inputs holds. */
  static final int SCAN_ROWS = 1 << 16;

  /** The bytes a scan batch of narrow inputs aims at. */
  static final long SCAN_BYTES = 2L << 20;

  /**
   * Rows per scan batch for inputs {@code fields} (null if unknown) and a UDF batch of {@code
   * batchSize} rows. Lance's scan costs about as much per batch as a narrow batch's rows (about 25
   * us a batch: two int columns of 10M rows read 2.6x faster in 65,536-row batches here), so inputs
   * of fixed width are read in batches of up to {@link #SCAN_BYTES} (with the 8-byte row address),
   * at most {@link #SCAN_ROWS} rows, and handed out in slices of the UDF's batch. Inputs of
   * variable width could be of any size, so their batch stays the UDF's.
   */
  static int scanRows(List<Field> fields, int batchSize) {
    if (fields == null) {
      return batchSize;
    }
    long width = Long.BYTES;
    for (Field f : fields) {
      if (!fixedWidth(f)) {
        return batchSize;
      }
      width += width(f);
    }
    return (int) Math.max(batchSize, Math.min(SCAN_ROWS, SCAN_BYTES / width));
  }

  private static boolean fixedWidth(Field f) {
    ArrowType type = f.getType();
    if (type instanceof ArrowType.FixedSizeList || type instanceof ArrowType.Struct) {
      return f.getChildren().stream().allMatch(WindowSize::fixedWidth);
    }
    return type instanceof ArrowType.Int
        || type instanceof ArrowType.FloatingPoint
        || type instanceof ArrowType.Bool;
  }

  /** Bytes a row of {@code f} takes, a guess for variable widths. */
  static long width(Field f) {
    ArrowType type = f.getType();
    if (type instanceof ArrowType.FixedSizeList list) {
      return (long) list.getListSize() * width(f.getChildren().get(0));
    }
    if (type instanceof ArrowType.Struct) {
      long sum = 0;
      for (Field child : f.getChildren()) {
        sum += width(child);
      }
      return Math.max(1, sum);
    }
    if (type instanceof ArrowType.Int i) {
      return i.getBitWidth() / 8;
    }
    if (type instanceof ArrowType.FloatingPoint fp) {
      return switch (fp.getPrecision()) {
        case HALF -> 2;
        case SINGLE -> 4;
        case DOUBLE -> 8;
      };
    }
    if (type instanceof ArrowType.Bool) {
      return 1;
    }
    return VARIABLE_BYTES;
  }

  /** The bytes {@code root}'s vectors hold. */
  static long bytes(VectorSchemaRoot root) {
    long sum = 0;
    for (FieldVector v : root.getFieldVectors()) {
      sum += v.getBufferSize();
    }
    return sum;
  }
}
