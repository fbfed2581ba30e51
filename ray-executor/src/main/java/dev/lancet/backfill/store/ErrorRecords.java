package dev.lancet.backfill.store;

import dev.lancet.backfill.RecordedError;
import dev.lancet.backfill.RowError;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.TableLocation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.LoggerFactory;

/**
 * The rows whose UDF call failed, in the Lance table {@code <table>/_lancet/errors}: one row each
 * (its address, inputs, what it threw, how often it was tried, the job and column), written by the
 * worker once per fragment with failures, at most {@value #MAX_PER_FRAGMENT} per fragment.
 * Queryable with {@code SHOW BACKFILL ERRORS}.
 */
public final class ErrorRecords {
  /** Failed rows of one fragment recorded; the counts cover them all. */
  public static final int MAX_PER_FRAGMENT = 10_000;

  static final Schema SCHEMA =
      new Schema(
          List.of(
              Cells.utf8("job_id"),
              Cells.utf8("column"),
              Field.nullable("fragment_id", new ArrowType.Int(32, true)),
              Field.nullable("row_address", new ArrowType.Int(64, true)),
              Cells.utf8("inputs"),
              Cells.utf8("error"),
              Field.nullable("attempts", new ArrowType.Int(32, true)),
              Field.nullable("recorded_at", new ArrowType.Int(64, true))));

  private ErrorRecords() {}

  private static InternalTable table(TableLocation table) {
    return new InternalTable(InternalPaths.ERRORS.under(table), SCHEMA);
  }

  /** Records a fragment's failed rows; logs and carries on if it cannot (the counts stay right). */
  public static void record(
      TableLocation table, String jobId, String column, int fragmentId, List<RowError> errors) {
    if (errors.isEmpty()) {
      return;
    }
    try (BufferAllocator allocator = Allocators.child("lancet-errors");
        VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      root.allocateNew();
      long now = System.currentTimeMillis();
      for (int i = 0; i < errors.size(); i++) {
        RowError e = errors.get(i);
        Cells.setText(root, "job_id", i, jobId);
        Cells.setText(root, "column", i, column);
        ((IntVector) root.getVector("fragment_id")).setSafe(i, fragmentId);
        ((BigIntVector) root.getVector("row_address")).setSafe(i, e.rowAddress());
        Cells.setText(root, "inputs", i, e.inputs());
        Cells.setText(root, "error", i, e.message());
        ((IntVector) root.getVector("attempts")).setSafe(i, e.attempts());
        ((BigIntVector) root.getVector("recorded_at")).setSafe(i, now);
      }
      for (FieldVector v : root.getFieldVectors()) {
        v.setValueCount(errors.size());
      }
      root.setRowCount(errors.size());
      table(table).append(root, allocator);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(ErrorRecords.class)
          .warn(
              "fragment {}: cannot record its {} failed row(s): {}",
              fragmentId,
              errors.size(),
              e.toString());
    }
  }

  /**
   * The slots of {@code column}'s rows whose UDF call failed, by fragment id, as recorded by any
   * job (a row computed since is current, which its column file's state says first).
   */
  public static Map<Integer, BitSet> failedSlots(
      TableLocation table, String column, BufferAllocator allocator) {
    return failedSlots(table, column, null, allocator);
  }

  /**
   * {@link #failedSlots(TableLocation, String, BufferAllocator)} as recorded by jobs other than
   * {@code exceptJob} (null: every job).
   */
  public static Map<Integer, BitSet> failedSlots(
      TableLocation table, String column, String exceptJob, BufferAllocator allocator) {
    Map<Integer, BitSet> out = new HashMap<>();
    addresses(
        table,
        "`column` = "
            + InternalTable.literal(column)
            + (exceptJob == null ? "" : " AND job_id != " + InternalTable.literal(exceptJob)),
        allocator,
        address ->
            out.computeIfAbsent((int) (address >>> 32), k -> new BitSet())
                .set((int) (address & 0xFFFFFFFFL)));
    return out;
  }

  /** The slots of fragment {@code fragmentId}'s rows that job {@code jobId} recorded as failed. */
  public static BitSet failedSlots(
      TableLocation table, String column, String jobId, int fragmentId, BufferAllocator allocator) {
    BitSet out = new BitSet();
    addresses(
        table,
        "`column` = "
            + InternalTable.literal(column)
            + " AND job_id = "
            + InternalTable.literal(jobId)
            + " AND fragment_id = "
            + fragmentId,
        allocator,
        address -> out.set((int) (address & 0xFFFFFFFFL)));
    return out;
  }

  /** Hands each recorded failure's row address matching {@code filter} to {@code sink}. */
  private static void addresses(
      TableLocation table,
      String filter,
      BufferAllocator allocator,
      java.util.function.LongConsumer sink) {
    table(table)
        .scan(
            filter,
            List.of("row_address"),
            allocator,
            root -> {
              BigIntVector addresses = (BigIntVector) root.getVector("row_address");
              for (int i = 0; i < root.getRowCount(); i++) {
                sink.accept(addresses.get(i));
              }
            });
  }

  /** The recorded failures of a table, of one job when {@code jobId} is not null, oldest first. */
  public static List<RecordedError> list(TableLocation table, String jobId) {
    List<RecordedError> out = new ArrayList<>();
    try (BufferAllocator allocator = Allocators.child("lancet-errors")) {
      table(table)
          .scan(
              jobId == null ? null : "job_id = " + InternalTable.literal(jobId),
              allocator,
              root -> {
                for (int i = 0; i < root.getRowCount(); i++) {
                  out.add(
                      new RecordedError(
                          Cells.text(root, "job_id", i),
                          Cells.text(root, "column", i),
                          new RowError(
                              ((BigIntVector) root.getVector("row_address")).get(i),
                              Cells.text(root, "inputs", i),
                              Cells.text(root, "error", i),
                              ((IntVector) root.getVector("attempts")).get(i)),
                          ((BigIntVector) root.getVector("recorded_at")).get(i)));
                }
              });
    }
    return out;
  }
}
