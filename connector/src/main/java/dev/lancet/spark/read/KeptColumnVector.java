package dev.lancet.spark.read;

import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A column of a batch lance-spark 0.4.0 reads, which Spark may not free between batches.
 *
 * <p>Spark 3.5 calls {@code closeIfFreeable()} on a batch's columns when it moves to the next
 * batch; lance-spark's column vector does not override it, so the Arrow vector of the reader's root
 * is closed, and a closed struct vector drops its children: the next batch then fails to load
 * ("should have as many children as in the schema: found 0 expected 3"). The root belongs to the
 * reader, which reloads it for every batch and closes it at the end, so this column leaves it alone
 * until {@link #close()}.
 */
final class KeptColumnVector extends ColumnVector {
  private final ColumnVector inner;
  private final boolean nullWhenFieldsNull;
  private int rows;

  /**
   * @param inner lance-spark's column
   * @param nullWhenFieldsNull whether a struct whose fields are all null is a null (a virtual
   *     struct column: Lance's 2.0 files keep no struct validity, so its rows not computed, or left
   *     out by a filter, come back as structs of nulls)
   */
  KeptColumnVector(ColumnVector inner, boolean nullWhenFieldsNull) {
    super(inner.dataType());
    this.inner = inner;
    this.nullWhenFieldsNull = nullWhenFieldsNull;
  }

  /** The rows of the current batch (for {@link #numNulls()}). */
  void rows(int rows) {
    this.rows = rows;
  }

  ColumnVector inner() {
    return inner;
  }

  @Override
  public void closeIfFreeable() {
    // The reader's root is reused for the next batch: see the class comment.
  }

  @Override
  public void close() {
    inner.close();
  }

  @Override
  public boolean hasNull() {
    return nullWhenFieldsNull ? numNulls() > 0 : inner.hasNull();
  }

  @Override
  public int numNulls() {
    if (!nullWhenFieldsNull) {
      return inner.numNulls();
    }
    int nulls = 0;
    for (int i = 0; i < rows; i++) {
      if (isNullAt(i)) {
        nulls++;
      }
    }
    return nulls;
  }

  @Override
  public boolean isNullAt(int rowId) {
    if (inner.isNullAt(rowId)) {
      return true;
    }
    if (!nullWhenFieldsNull) {
      return false;
    }
    int fields = ((org.apache.spark.sql.types.StructType) dataType()).size();
    for (int f = 0; f < fields; f++) {
      if (!inner.getChild(f).isNullAt(rowId)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean getBoolean(int rowId) {
    return inner.getBoolean(rowId);
  }

  @Override
  public byte getByte(int rowId) {
    return inner.getByte(rowId);
  }

  @Override
  public short getShort(int rowId) {
    return inner.getShort(rowId);
  }

  @Override
  public int getInt(int rowId) {
    return inner.getInt(rowId);
  }

  @Override
  public long getLong(int rowId) {
    return inner.getLong(rowId);
  }

  @Override
  public float getFloat(int rowId) {
    return inner.getFloat(rowId);
  }

  @Override
  public double getDouble(int rowId) {
    return inner.getDouble(rowId);
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    return inner.getArray(rowId);
  }

  @Override
  public ColumnarMap getMap(int ordinal) {
    return inner.getMap(ordinal);
  }

  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    return inner.getDecimal(rowId, precision, scale);
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    return inner.getUTF8String(rowId);
  }

  @Override
  public byte[] getBinary(int rowId) {
    return inner.getBinary(rowId);
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    return inner.getChild(ordinal);
  }
}
