package dev.lancet.spark.functions;

import java.util.function.Supplier;

/**
 * What the Lancet table functions planned on a thread run with while a materialized view's query is
 * analyzed or written: the view's pinned code (null: the session's class loader) and its sink for
 * rows the UDF fails on (null: a failure fails the statement). Outside a view both are null.
 *
 * @param code the jars the functions load from, or null
 * @param skipped where failing rows are skipped into, or null
 */
public record FunctionScope(FunctionCode code, SkippedRows skipped) {
  /** Outside a view. */
  public static final FunctionScope NONE = new FunctionScope(null, null);

  private static final ThreadLocal<FunctionScope> CURRENT = ThreadLocal.withInitial(() -> NONE);

  /** A write or anything else that plans a query and may throw Spark's checked exceptions. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  /** {@code body}'s result, the table functions it plans on this thread in this scope. */
  public <T> T during(Supplier<T> body) {
    FunctionScope before = CURRENT.get();
    CURRENT.set(this);
    try {
      return body.get();
    } finally {
      CURRENT.set(before);
    }
  }

  /**
   * {@link #during} for {@code body}, which may throw: a Spark writer ({@code writeTo(...)})
   * analyzes its query again from the parsed plan, so a view's writes plan in its scope too.
   */
  public void run(Action body) throws Exception {
    FunctionScope before = CURRENT.get();
    CURRENT.set(this);
    try {
      body.run();
    } finally {
      CURRENT.set(before);
    }
  }

  /** The scope of the table functions planned now on this thread. */
  static FunctionScope current() {
    return CURRENT.get();
  }
}
