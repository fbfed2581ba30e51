package dev.lancet.spark.sql.errors;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import org.apache.spark.QueryContext;
import org.apache.spark.sql.AnalysisException;
import scala.Option;

/**
 * A Lancet statement cannot be carried out as written (unknown table, not a Lance table, a UDF that
 * failed, ...): Spark's own {@link AnalysisException}, so spark-sql, PySpark and notebooks treat it
 * as they treat Spark's. Its error class ({@link #getErrorClass()}) is the Lancet {@link ErrorCode}
 * and its message reads {@code [CODE] message}, as Spark's errors do.
 *
 * <p>{@code AnalysisException} is a checked exception to Java; Lancet's code throws its unchecked
 * {@link LancetException} and a statement's exec node turns it into this at its edge ({@link
 * #raise}).
 */
public class LancetSqlException extends AnalysisException {
  private final ErrorCode code;
  private final String lancetMessage;

  public LancetSqlException(ErrorCode code, String message, Throwable cause) {
    super(
        LancetException.render(code, message),
        Option.empty(),
        Option.empty(),
        Option.apply(cause),
        Option.apply(code.name()),
        scala.collection.immutable.Map$.MODULE$.<String, String>empty(),
        new QueryContext[0]);
    this.code = code;
    this.lancetMessage = message;
  }

  /** The statement error for a Lancet error: its code and message, it as the cause. */
  public static LancetSqlException of(LancetException e) {
    return new LancetSqlException(e.code(), e.getMessage(), e);
  }

  /**
   * Throws {@link #of(LancetException) of(e)} from code that cannot declare the checked {@code
   * AnalysisException} (Spark's Scala methods do not): {@code throw LancetSqlException.raise(e);}.
   */
  public static RuntimeException raise(LancetException e) {
    throw LancetSqlException.<RuntimeException>sneaky(of(e));
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  /** The Lancet error code (also {@link #getErrorClass()}). */
  public ErrorCode code() {
    return code;
  }

  /** The message without its {@code [CODE]} prefix. */
  public String lancetMessage() {
    return lancetMessage;
  }

  @Override
  public String getSqlState() {
    return code.sqlState();
  }
}
