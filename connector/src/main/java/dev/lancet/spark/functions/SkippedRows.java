package dev.lancet.spark.functions;

import java.io.Serializable;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The source rows a materialized view's 1:N UDFs failed on, under {@code on_error = 'skip'}: such a
 * row gets no derived rows, and its address and error travel to the driver here (a Spark
 * accumulator, which the plan carries to every task as a literal and Spark merges back once per
 * successful task). A view's query is analyzed inside {@link #during}, so the table functions it
 * plans skip failing rows into it and pass each row's source address.
 */
public final class SkippedRows implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A task records the error of at most this many rows; their addresses are all recorded. */
  static final int DETAILS_PER_TASK = 100;

  /** The argument a view adds to its table functions' calls: the source row's address. */
  public static final String ADDRESS_ARGUMENT = "__lancet_source_row";

  private static final ThreadLocal<SkippedRows> CURRENT = new ThreadLocal<>();

  /**
   * A source row the UDF failed on.
   *
   * @param address its address in the source
   * @param error what failed (with the UDF's inputs), or null past a task's first {@value
   *     #DETAILS_PER_TASK}
   */
  public record Row(long address, String error) implements Serializable {}

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

  /**
   * {@code body}'s result, with the table functions it plans on this thread skipping failing rows
   * into {@code skipped} (null: failing the statement, as outside a view).
   */
  public static <T> T during(SkippedRows skipped, Supplier<T> body) {
    SkippedRows before = CURRENT.get();
    CURRENT.set(skipped);
    try {
      return body.get();
    } finally {
      CURRENT.set(before);
    }
  }

  /** {@link #during} for {@code body}, which may throw (a Spark write). */
  public static void run(SkippedRows skipped, FunctionCode.Action body) throws Exception {
    SkippedRows before = CURRENT.get();
    CURRENT.set(skipped);
    try {
      body.run();
    } finally {
      CURRENT.set(before);
    }
  }

  /** The sink table functions planned now skip into, or null. */
  static SkippedRows current() {
    return CURRENT.get();
  }

  /** On an executor: records a row the UDF failed on. */
  void add(long address, String error) {
    rows.add(new Row(address, error));
  }

  /** On the driver: the rows skipped since the last call (by the jobs that ended since). */
  public List<Row> taken() {
    List<Row> all = rows.value();
    List<Row> fresh = List.copyOf(all.subList(Math.min(taken, all.size()), all.size()));
    taken = all.size();
    return fresh;
  }
}
