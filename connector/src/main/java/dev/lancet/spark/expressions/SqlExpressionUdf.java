package dev.lancet.spark.expressions;

import dev.lancet.udf.Udf;
import dev.lancet.udf.types.TypeStrings;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.internal.SQLConf$;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.LanceArrowUtils;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.lance.spark.arrow.LanceArrowWriter;
import org.lance.spark.vectorized.LanceArrowColumnVector;

/**
 * The UDF behind a SQL-expression virtual column ({@code ADD COLUMN area AS (x * y)}): evaluates
 * the expression on each batch with Spark's own code (the resolved expression compiled to an {@link
 * UnsafeProjection}), reading the batch's Arrow vectors as Spark columns and writing the results to
 * an Arrow vector as lance-spark does, under the SQL settings recorded with the column. It needs
 * Spark's classes, so it runs where a backfill of the session runs: in the session's JVM (Ray's
 * LOCAL mode) or on Spark's executors ({@code engine = 'spark'}).
 */
@Udf(
    options = {
      "expression",
      "column",
      "ansi",
      "time_zone",
      "case_sensitive",
      "legacy_size_of_null"
    })
public final class SqlExpressionUdf {
  private final String column;
  private final String text;
  private final Map<String, String> settings;
  private final SQLConf conf;
  private StructType resolvedFor;
  private SqlExpression expression;
  private UnsafeProjection projection;

  public SqlExpressionUdf(Map<String, String> options) {
    this.text = options.get("expression");
    this.column = options.getOrDefault("column", "");
    this.settings = SqlExpression.settingsFromOptions(options);
    this.conf = SqlExpression.conf(settings);
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("option 'expression' is missing");
    }
  }

  public FieldVector call(VectorSchemaRoot batch, BufferAllocator allocator) {
    return SQLConf$.MODULE$.withExistingConf(conf, () -> evaluate(batch, allocator));
  }

  private FieldVector evaluate(VectorSchemaRoot batch, BufferAllocator allocator) {
    StructType schema = LanceArrowUtils.fromArrowSchema(batch.getSchema());
    if (!schema.equals(resolvedFor)) {
      // Resolved against the batch's own types, as the session resolved it against the table's.
      expression = SqlExpression.resolve(column, text, schema, settings);
      projection =
          UnsafeProjection.create(
              SqlExpression.seq(java.util.List.of(expression.resolved())),
              expression.input().output());
      resolvedFor = schema;
    }
    int rows = batch.getRowCount();
    ColumnVector[] columns = new ColumnVector[batch.getFieldVectors().size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = new LanceArrowColumnVector(batch.getVector(i));
    }
    ColumnarBatch input = new ColumnarBatch(columns, rows);
    StructType outSchema = new StructType().add("value", expression.dataType(), true);
    FieldVector out =
        TypeStrings.parse(expression.typeString()).toField("value", true).createVector(allocator);
    try {
      // The root only groups the vector for the writer; the vector is the result, not closed here.
      LanceArrowWriter writer = LanceArrowWriter.create(VectorSchemaRoot.of(out), outSchema);
      java.util.Iterator<InternalRow> it = input.rowIterator();
      while (it.hasNext()) {
        writer.write(projection.apply(it.next()));
      }
      writer.finish();
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }
}
