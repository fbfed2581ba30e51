package dev.lancet.spark.functions;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The source rows a materialized view's 1:N UDFs failed on, under {@code on_error = 'skip'}: such a
 * row gets no derived rows, and its address and error travel to the driver here (a Spark
 * accumulator, which the plan carries to every task as a literal and Spark merges back once per
 * successful task). A view's query is analyzed in a {@link FunctionScope} with it, so the table
 * functions it plans skip failing rows into it and pass each row's source address.
 */
public final class SkippedRows implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A task records the error of at most this many rows; their addresses are all recorded. */
  static final int DETAILS_PER_TASK = 100;

  /** The argument a view adds to its table functions' calls: the source row's address. */
  public static final String ADDRESS_ARGUMENT = "__lancet_source_row";

  /**
   * A source row the UDF failed on.
   *
   * @param address its address in the source
   * @param inputs the UDF's inputs ({@code [a, b]}), or null past a task's first {@value
   *     #DETAILS_PER_TASK}
   * @param error what failed (with the UDF's inputs), or null past a task's first rows too
   */
  public record Row(long address, String inputs, String error) implements Serializable {}

  private final CollectionAccumulator<Row> rows;
  private transient int taken;

  private SkippedRows(CollectionAccumulator<Row> rows) {
    this.rows = rows;
  }

  /** A sink registered with {@code sc}, for one build or refresh. */
  public static SkippedRows register(SparkContext sc) {
    CollectionAccumulator<Row> rows = new CollectionAccumulator<>();
    sc.register(rows, "lancet: source rows skipped by a materialized view's UDFs");
    return new SkippedRows(rows);
  }

  /** On an executor: records a row the UDF failed on. */
  void add(long address, String inputs, String error) {
    rows.add(new Row(address, inputs, error));
  }

  /** On the driver: the rows skipped since the last call (by the jobs that ended since). */
  public List<Row> taken() {
    List<Row> all = rows.value();
    List<Row> fresh = List.copyOf(all.subList(Math.min(taken, all.size()), all.size()));
    taken = all.size();
    return fresh;
  }
}
