package dev.lancet.backfill;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;

/**
 * A backfill or a virtual-column change could not be done. The message names the table, column and
 * cause; whatever was committed before the failure stays committed and consistent. Without a code
 * it is {@link ErrorCode#LANCET_BACKFILL_FAILED}.
 */
public class BackfillException extends LancetException {
  public BackfillException(String message) {
    this(ErrorCode.LANCET_BACKFILL_FAILED, message);
  }

  public BackfillException(String message, Throwable cause) {
    this(ErrorCode.LANCET_BACKFILL_FAILED, message, cause);
  }

  public BackfillException(ErrorCode code, String message) {
    super(code, message);
  }

  public BackfillException(ErrorCode code, String message, Throwable cause) {
    super(code, cause, message);
  }

  /**
   * {@code t} as a backfill's error of {@code column}: ours as it is, a UDF's or another Lancet
   * error with the column and its code; null for anything else (an engine's wrapping, say).
   */
  public static BackfillException ofColumn(String column, Throwable t) {
    if (t instanceof BackfillException b) {
      return b;
    }
    if (t instanceof LancetException l) {
      return new BackfillException(l.code(), "column '" + column + "': " + l.getMessage(), l);
    }
    return null;
  }
}
