package dev.lancet.spark.sql.errors;

/** A Lancet statement cannot be carried out as written (unknown table, not a Lance table, ...). */
public class LancetSqlException extends RuntimeException {
  public LancetSqlException(String message) {
    super(message);
  }

  public LancetSqlException(String message, Throwable cause) {
    super(message, cause);
  }
}
