package dev.lancet.backfill.compute;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Rows of fixed-width columns whose every value is null, left out of an Arrow part and put back
 * when it is read ({@link ArrowParts}). A fixed-width column stores a null's bytes like any value's
 * (a {@code float[1536]} null is 6 KB of nothing), and a filtered backfill's range is half such
 * rows. A compacted batch holds the rows with a value and, in {@link #SLOT}, each one's row in the
 * batch; the batch's last row is always kept, so the largest slot says how many rows it had.
 *
 * <p>Only columns whose values are fixed-width (primitives, and fixed-size lists of them of a
 * multiple of 8 items, as embeddings are) are compacted: their rows are copied as bytes.
 */
final class NullRows {
  /** The column of a compacted part that holds each row's place in its batch. */
  static final String SLOT = "__lancet_slot";

  /** A batch is compacted when at least this share of its rows is null in every column. */
  static final double MIN_NULL_SHARE = 0.25;

  private NullRows() {}

  /** Whether parts of this schema are compacted: every column's values are fixed-width. */
  static boolean compactable(Schema schema) {
    return !schema.getFields().isEmpty()
        && schema.getFields().stream().allMatch(NullRows::fixedWidth);
  }

  private static boolean fixedWidth(Field f) {
    ArrowType t = f.getType();
    if (t instanceof ArrowType.FixedSizeList list) {
      // A row's items' validity is whole bytes, copied as such.
      return list.getListSize() % 8 == 0
          && f.getChildren().size() == 1
          && f.getChildren().get(0).getChildren().isEmpty()
          && primitive(f.getChildren().get(0).getType());
    }
    return f.getChildren().isEmpty() && primitive(t);
  }

  private static boolean primitive(ArrowType t) {
    return t instanceof ArrowType.Int
        || t instanceof ArrowType.FloatingPoint
        || t instanceof ArrowType.Date
        || t instanceof ArrowType.Time
        || t instanceof ArrowType.Timestamp
        || t instanceof ArrowType.Duration
        || t instanceof ArrowType.Decimal
        || t instanceof ArrowType.FixedSizeBinary;
  }

  /** The schema a compacted part is written in: the columns, then {@link #SLOT}. */
  static Schema withSlot(Schema schema) {
    List<Field> fields = new ArrayList<>(schema.getFields());
    fields.add(new Field(SLOT, FieldType.notNullable(new ArrowType.Int(32, true)), null));
    return new Schema(fields, schema.getCustomMetadata());
  }

  /**
   * A batch as a part holds it: its root, and what closing it frees (only what was made for it; a
   * batch written whole borrows the caller's vectors).
   */
  record Compacted(VectorSchemaRoot root, Runnable release) implements AutoCloseable {
    @Override
    public void close() {
      release.run();
    }
  }

  /**
   * {@code root}'s rows with a value, and its last, copied into a new root of {@code withSlot};
   * when too few are null, {@code root}'s own vectors with a slot column of every row (no copy).
   */
  static Compacted compact(VectorSchemaRoot root, Schema withSlot, BufferAllocator a) {
    int n = root.getRowCount();
    List<FieldVector> columns = root.getFieldVectors();
    int[] keep = new int[n];
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (i == n - 1 || anyValue(columns, i)) {
        keep[kept++] = i;
      }
    }
    if (kept > n * (1 - MIN_NULL_SHARE)) {
      IntVector slots = (IntVector) withSlot.getFields().get(columns.size()).createVector(a);
      slots.allocateNew(n);
      for (int i = 0; i < n; i++) {
        slots.set(i, i);
      }
      slots.setValueCount(n);
      List<FieldVector> vectors = new ArrayList<>(columns);
      vectors.add(slots);
      return new Compacted(new VectorSchemaRoot(withSlot.getFields(), vectors, n), slots::close);
    }
    VectorSchemaRoot out = VectorSchemaRoot.create(withSlot, a);
    try {
      for (int c = 0; c < columns.size(); c++) {
        FieldVector to = out.getVector(c);
        allocate(to, kept);
        for (int j = 0; j < kept; j++) {
          copyRow(columns.get(c), keep[j], to, j);
        }
        to.setValueCount(kept);
      }
      IntVector slots = (IntVector) out.getVector(columns.size());
      slots.allocateNew(kept);
      for (int j = 0; j < kept; j++) {
        slots.set(j, keep[j]);
      }
      out.setRowCount(kept);
      return new Compacted(out, out::close);
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /**
   * A compacted batch's rows put back in place, nulls between them: in {@code out} (its vectors
   * reallocated for the batch's row count) when rows were left out, else a root over the batch's
   * own vectors (no copy; valid while the batch is).
   */
  static VectorSchemaRoot expand(VectorSchemaRoot compacted, VectorSchemaRoot out) {
    int kept = compacted.getRowCount();
    IntVector slots = (IntVector) compacted.getVector(SLOT);
    int n = kept == 0 ? 0 : slots.get(kept - 1) + 1;
    int columns = out.getFieldVectors().size();
    if (kept == n) {
      return new VectorSchemaRoot(
          out.getSchema().getFields(), compacted.getFieldVectors().subList(0, columns), n);
    }
    for (int c = 0; c < columns; c++) {
      FieldVector to = out.getVector(c);
      to.clear();
      allocate(to, n);
      FieldVector from = compacted.getVector(c);
      for (int j = 0; j < kept; j++) {
        copyRow(from, j, to, slots.get(j));
      }
      to.setValueCount(n);
    }
    out.setRowCount(n);
    return out;
  }

  private static boolean anyValue(List<FieldVector> columns, int row) {
    for (FieldVector v : columns) {
      if (!v.isNull(row)) {
        return true;
      }
    }
    return false;
  }

  /** Room for {@code rows} rows, all null. */
  private static void allocate(FieldVector v, int rows) {
    v.setInitialCapacity(Math.max(rows, 1));
    v.allocateNew();
  }

  /**
   * Copies row {@code i} of {@code from} to row {@code j} of {@code to}: its validity and bytes.
   */
  private static void copyRow(ValueVector from, int i, FieldVector to, int j) {
    boolean valid = !from.isNull(i);
    BitVectorHelper.setValidityBit(to.getValidityBuffer(), j, valid ? 1 : 0);
    if (!valid) {
      return;
    }
    BaseFixedWidthVector fromData;
    BaseFixedWidthVector toData;
    int perRow;
    if (from instanceof FixedSizeListVector l) {
      fromData = (BaseFixedWidthVector) l.getDataVector();
      toData = (BaseFixedWidthVector) ((FixedSizeListVector) to).getDataVector();
      perRow = l.getListSize();
    } else {
      fromData = (BaseFixedWidthVector) from;
      toData = (BaseFixedWidthVector) to;
      perRow = 1;
    }
    long width = (long) fromData.getTypeWidth() * perRow;
    ArrowBuf src = fromData.getDataBuffer();
    toData.getDataBuffer().setBytes(j * width, src, i * width, width);
    if (perRow > 1) {
      long bytes = perRow / 8; // a list's items' validity (its size is a multiple of 8)
      toData
          .getValidityBuffer()
          .setBytes(j * bytes, fromData.getValidityBuffer(), i * bytes, bytes);
    }
  }
}
