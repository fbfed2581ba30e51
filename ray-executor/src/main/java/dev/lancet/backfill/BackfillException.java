package dev.lancet.backfill;

/**
 * A backfill or a virtual-column change could not be done. The message names the table, column and
 * cause; whatever was committed before the failure stays committed and consistent.
 */
public class BackfillException extends RuntimeException {
  public BackfillException(String message) {
    super(message);
  }

  public BackfillException(String message, Throwable cause) {
    super(message, cause);
  }
}
