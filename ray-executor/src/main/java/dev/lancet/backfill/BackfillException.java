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
}
