package dev.lancet.udf;

/**
 * Lancet's stable error codes. Each has a Spark-style name (what spark-sql, PySpark and the Lancet
 * console show as {@code [NAME] message}) and a SQLSTATE. Codes are never renamed or reused:
 * scripts and notebooks match on them. docs/RELIABILITY.md lists when each is raised and what to
 * do.
 */
public enum ErrorCode {
  /** The UDF class is not on the class path (nor in the session's added jars). */
  LANCET_UDF_NOT_FOUND("42883"),
  /** The UDF class cannot be a UDF: its shape, signature, constructor, options or definition. */
  LANCET_UDF_INVALID("42000"),
  /** The UDF class is outside {@code lancet.udf.allowed-packages}; it was not loaded. */
  LANCET_UDF_NOT_ALLOWED("42501"),
  /** The UDF threw, returned something the column cannot hold, or could not be set up or closed. */
  LANCET_UDF_FAILED("38000"),
  /** More rows failed than {@code max_error_fraction} allows; nothing was committed for them. */
  LANCET_TOO_MANY_FAILED_ROWS("38000"),
  /** A backfill failed; what it committed before stays committed, its finished work is recorded. */
  LANCET_BACKFILL_FAILED("58000"),
  /**
   * A backfill was cancelled; what it finished is checkpointed and the next run resumes from it.
   */
  LANCET_BACKFILL_CANCELLED("HY008"),
  /** A commit failed for good after its retries. */
  LANCET_COMMIT_FAILED("40000"),
  /**
   * Another session is writing the same thing at this moment (a view's refresh); nothing changed.
   */
  LANCET_CONCURRENT_WRITE("40001"),
  /** An option's name or value is not valid (BACKFILL / column options, a Lancet setting). */
  LANCET_INVALID_OPTION("22023"),
  /** A type string is not valid, or a Java / Arrow type has no Lancet type. */
  LANCET_INVALID_TYPE("42804"),
  /** A backfill's WHERE filter is not valid for the table. */
  LANCET_INVALID_FILTER("42000"),
  /**
   * A SQL-expression column's expression cannot be one: it does not parse or resolve, or it is not
   * a deterministic value of the row.
   */
  LANCET_INVALID_EXPRESSION("42000"),
  /** A Lancet statement is not valid syntax. */
  LANCET_PARSE_ERROR("42601"),
  /** The table does not exist where it was looked for. */
  LANCET_TABLE_NOT_FOUND("42P01"),
  /** The table exists but is not a Lance table. */
  LANCET_NOT_A_LANCE_TABLE("42809"),
  /** The column does not exist. */
  LANCET_COLUMN_NOT_FOUND("42703"),
  /** The column exists but is not a virtual column (it has no UDF). */
  LANCET_COLUMN_NOT_VIRTUAL("42809"),
  /** A column of that name already exists (or is named twice in one statement). */
  LANCET_COLUMN_ALREADY_EXISTS("42711"),
  /** No backfill job has that id. */
  LANCET_JOB_NOT_FOUND("42704"),
  /** A jar or file named by a statement does not exist or is not a file. */
  LANCET_PATH_NOT_FOUND("42K03"),
  /** Rows written do not match the table's columns. */
  LANCET_APPEND_MISMATCH("21S01"),
  /** A worker's environment differs from the driver's (its Java major version). */
  LANCET_ENVIRONMENT_MISMATCH("58000"),
  /** Reading or writing the table's storage failed (a file, an object, Lancet's own records). */
  LANCET_STORAGE_ERROR("58030"),
  /** The statement asks for something Lancet does not do. */
  LANCET_UNSUPPORTED("0A000");

  private final String sqlState;

  ErrorCode(String sqlState) {
    this.sqlState = sqlState;
  }

  /** The five-character SQLSTATE reported with this code. */
  public String sqlState() {
    return sqlState;
  }
}
