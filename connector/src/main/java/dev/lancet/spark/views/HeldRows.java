package dev.lancet.spark.views;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.LanceArrowUtils;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.lance.spark.vectorized.LanceArrowColumnVector;

/**
 * A refresh's few changed source rows, held on the driver as Spark rows instead of staged as a
 * Lance dataset: a steady refresh's 10,000 rows cost a Lance write, two commits and a scan's
 * planning otherwise, for a copy its tasks read once. Rows are read as lance-spark reads them
 * ({@link LanceArrowColumnVector}, {@link LanceArrowUtils}), so the query sees the types a scan of
 * the source would give. Bounded: past {@code limit} bytes of Arrow data it lets them go and says
 * so, and the caller stages them in Lance.
 */
final class HeldRows implements AutoCloseable {
  private final long limit;
  private final List<InternalRow> rows = new ArrayList<>();
  private StructType schema;
  private UnsafeProjection projection;
  private long bytes;
  private boolean overflowed;
  private Broadcast<List<List<InternalRow>>> shared;

  HeldRows(long limit) {
    this.limit = limit;
  }

  /** Copies {@code batch}'s rows, unless they would pass the limit; false once past it. */
  boolean add(VectorSchemaRoot batch) {
    for (FieldVector v : batch.getFieldVectors()) {
      bytes += v.getBufferSize();
    }
    if (bytes > limit) {
      overflowed = true;
      rows.clear();
      return false;
    }
    if (schema == null) {
      schema = LanceArrowUtils.fromArrowSchema(batch.getSchema());
      projection = UnsafeProjection.create(schema);
    }
    ColumnVector[] columns = new ColumnVector[batch.getFieldVectors().size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = new LanceArrowColumnVector(batch.getVector(i));
    }
    // The vectors are the reader's (or the caller's) and are not closed with the batch here.
    Iterator<InternalRow> it = new ColumnarBatch(columns, batch.getRowCount()).rowIterator();
    while (it.hasNext()) {
      rows.add(projection.apply(it.next()).copy());
    }
    return true;
  }

  /** Whether the rows passed the limit (and were let go). */
  boolean overflowed() {
    return overflowed;
  }

  /** The rows held. */
  long rows() {
    return rows.size();
  }

  /**
   * The rows as a relation of {@code spark}'s plans, a slice per task slot, each task reading its
   * slice from a broadcast of them (closed with {@link #close}). An RDD's relation, not a local
   * one: the analyzer compares a local relation's rows each time it compares plans (20 ms for
   * 10,000 rows), an RDD's by its identity. A broadcast, not rows in the tasks: Spark warns of a
   * task above 1000 KiB, and a slice per slot keeps the view's new fragments as few (a fragment per
   * task; more would bring its compaction sooner).
   */
  LogicalPlan relation(SparkSession spark) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = (int) Math.max(1, Math.min(rows.size(), context.defaultParallelism()));
    List<List<InternalRow>> sliced = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      sliced.add(
          new ArrayList<>(
              rows.subList(
                  (int) ((long) rows.size() * i / slices),
                  (int) ((long) rows.size() * (i + 1) / slices))));
    }
    shared = context.broadcast(sliced);
    Broadcast<List<List<InternalRow>>> all = shared;
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      ids.add(i);
    }
    RDD<InternalRow> rdd =
        context.parallelize(ids, slices).flatMap(i -> all.value().get(i).iterator()).rdd();
    return spark.internalCreateDataFrame(rdd, schema, false).logicalPlan();
  }

  /** Lets the broadcast of the rows go, on the driver and the executors. */
  @Override
  public void close() {
    if (shared != null) {
      shared.destroy();
      shared = null;
    }
  }
}
